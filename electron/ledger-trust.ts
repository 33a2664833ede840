// Owns the one ledger this till window may connect to: told by the renderer at enrolment, kept on disk, read by the CSP header.
import { z } from 'zod';
import { contentSecurityPolicy, ledgerOriginSchema } from './csp';
import { readJsonFile, writeJsonFile } from './printing/json-file';

const storedSchema = z.object({ origin: ledgerOriginSchema.nullable() });

export class LedgerTrust {
  private constructor(
    private readonly file: string,
    private current: string | null,
  ) {}

  /** Reads the enrolled ledger from `file` (none when missing or unreadable). */
  static async open(file: string): Promise<LedgerTrust> {
    const stored = await readJsonFile(file, storedSchema, { origin: null });
    return new LedgerTrust(file, stored.origin);
  }

  get origin(): string | null {
    return this.current;
  }

  /** The policy for the next response the window loads. */
  policy(): string {
    return contentSecurityPolicy(this.current);
  }

  /** Enrolled with `url` (kept as its origin), or with null, enrolled nowhere. Bad input changes nothing. */
  async set(url: string | null): Promise<void> {
    const origin = url === null ? null : ledgerOriginSchema.parse(url);
    await writeJsonFile(this.file, { origin });
    this.current = origin;
  }
}
