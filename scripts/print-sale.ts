// `npm run print -- receipt --sale`: one sale and its store settings fetched from the ledger, each failure one clear line.
import { z } from 'zod';
import { storeSettingsSchema } from '../shared/catalog';
import { saleSchema } from '../shared/sale';
import { CliError } from './print-cli';

export const storedSaleSchema = z.object({ sale: saleSchema, store: storeSettingsSchema });
export type StoredSale = z.infer<typeof storedSaleSchema>;

const ledgerErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

function ledgerBase(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`--ledger must be a URL such as http://192.168.1.10:4310, not "${url}"`, 2);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CliError(`--ledger must be an http:// or https:// URL, not "${url}"`, 2);
  }
  return parsed;
}

function unreachable(where: string, error: unknown): string {
  const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
  if ((error as Error).name === 'TimeoutError') return `${where} is not answering (timed out)`;
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return `${where} is not answering (connection refused)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${where} is not answering (no such host)`;
    default:
      return `${where} is not answering (${cause?.message ?? (error as Error).message})`;
  }
}

/** GET /api/v1/sales/:saleId with a manager (or admin) token; exit code 1 for anything the ledger refuses. */
export async function fetchSale(
  ledgerUrl: string,
  token: string,
  saleId: string,
  timeoutMs: number,
): Promise<StoredSale> {
  const base = ledgerBase(ledgerUrl);
  const where = `Ledger at ${base.host}`;
  let res: Response;
  try {
    res = await fetch(new URL(`/api/v1/sales/${encodeURIComponent(saleId)}`, base), {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new CliError(unreachable(where, error), 1);
  }
  const body: unknown = await res.json().catch(() => null);
  if (res.ok) {
    const parsed = storedSaleSchema.safeParse(body);
    if (!parsed.success) {
      throw new CliError(
        `${where} sent a sale this version cannot read (is it a PopTill ledger?)`,
        1,
      );
    }
    return parsed.data;
  }
  const said = ledgerErrorSchema.safeParse(body);
  const detail = said.success ? said.data.error.message : `HTTP ${res.status}`;
  switch (res.status) {
    case 401:
      throw new CliError(`${where} did not accept the token: ${detail}`, 1);
    case 403:
      throw new CliError(`${where} refused to show sale ${saleId}: ${detail}`, 1);
    case 404:
      throw new CliError(
        said.success && said.data.error.code === 'not-found'
          ? `${where} has no sale ${saleId} (not synced yet?)`
          : `${where} has no sales lookup (is it a PopTill ledger?)`,
        1,
      );
    default:
      throw new CliError(`${where} could not look up sale ${saleId}: ${detail}`, 1);
  }
}
