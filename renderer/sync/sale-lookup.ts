// Asking the ledger for a sale of another till (by receipt number or the receipt QR's sale id), for a return.
import { type SaleLookupResponse, saleLookupResponseSchema } from '../../shared/sync';
import { getSetting, type PosDb } from '../db/db';
import { ledgerCall } from './client';
import { readDeviceToken } from './token';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export interface SaleLookupOptions {
  /** The device token; defaults to where this till keeps it (keychain or IndexedDB). */
  token?: () => Promise<string | null>;
  fetchImpl?: typeof fetch;
  /** A cashier is waiting at the counter: give up quickly. */
  timeoutMs?: number;
}

/**
 * The sale with this receipt number or id (a ULID) and its returned units, from the ledger with
 * this till's device token. Null when the till runs standalone, has no token, cannot reach the
 * ledger, or the ledger has no such sale of this store (404): `findSaleForReturn` then says so.
 */
export async function lookupSale(
  db: PosDb,
  key: string,
  opts: SaleLookupOptions = {},
): Promise<SaleLookupResponse | null> {
  const link = await getSetting(db, 'ledger');
  if (!link) return null;
  const token = await (opts.token ?? (() => readDeviceToken(db)))();
  if (!token) return null;
  const wanted = key.trim();
  const path = ULID.test(wanted.toUpperCase())
    ? `/api/v1/sales/by-id/${encodeURIComponent(wanted.toUpperCase())}`
    : `/api/v1/sales/by-receipt/${encodeURIComponent(wanted)}`;
  const result = await ledgerCall(link.url, path, {
    token,
    schema: saleLookupResponseSchema,
    fetchImpl: opts.fetchImpl,
    timeoutMs: opts.timeoutMs ?? 8_000,
  });
  if (result.ok) return result.value;
  if (result.failure !== 'not-found')
    console.warn('Sale lookup at the ledger failed:', result.message);
  return null;
}

/** `lookupSale` bound to a database, as `findSaleForReturn`'s `lookup` option wants it. */
export function saleLookup(db: PosDb, opts: SaleLookupOptions = {}) {
  return (key: string) => lookupSale(db, key, opts);
}
