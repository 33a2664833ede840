// What every `npm run print` subcommand shares: the error that becomes one line and an exit code, and the demo catalog.
import { readFileSync } from 'node:fs';
import { type Catalog, catalogSchema } from '../shared/catalog';

/** Thrown for a usage mistake or a printer failure: printed as one line, exit code attached. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

const DEMO_CATALOG = new URL('../assets/demo-catalog.json', import.meta.url);

export function loadDemoCatalog(): Catalog {
  return catalogSchema.parse(JSON.parse(readFileSync(DEMO_CATALOG, 'utf8')));
}

/** A whole number of milliseconds from --timeout. */
export function timeoutMs(value: string | undefined, fallback = 3000): number {
  const ms = value === undefined ? fallback : Number(value);
  if (!Number.isSafeInteger(ms) || ms < 1) {
    throw new CliError(`--timeout is in milliseconds, not "${value}"`, 2);
  }
  return ms;
}
