// The ledger's /api/v1 routes a till uses to find a sale of another till for a return: by receipt number (typed) or by sale id (the receipt's QR encodes the sale id, a ULID).
import { z } from 'zod';
import { idTextSchema } from '../../shared/bounds';
import { saleLookupResponseSchema } from '../../shared/sync';
import { HttpError, type Principal, type Route, route } from '../http/api';
import { lookupSale } from '../ledger/store-sales';
import type { RouteDeps } from '../routes';

const storeOf = (p: Principal | null) => {
  if (p?.kind !== 'device') throw new HttpError(403, 'forbidden', 'This needs a device token.');
  return p.storeId;
};

const receiptParams = z.object({
  receiptNumber: idTextSchema.pipe(
    z.string().trim().min(3, 'A receipt number has at least 3 characters, e.g. T1-000042'),
  ),
});
const saleIdParams = z.object({
  saleId: z
    .string()
    .trim()
    .toUpperCase()
    .pipe(
      z
        .string()
        .regex(
          /^[0-9A-HJKMNP-TV-Z]{26}$/,
          'A sale id is the 26-character code in the receipt QR (letters and digits)',
        ),
    ),
});

/**
 * Device token only, and only the caller's own store: a sale of another store answers the same
 * 404 as an unknown one. docs/sync-rules.md "Finding another till's sale".
 */
export function salesLookupRoutes({ database }: RouteDeps): Route[] {
  const { db } = database;
  return [
    route({
      method: 'GET',
      url: '/api/v1/sales/by-receipt/:receiptNumber',
      summary:
        "A sale of this till's store by its receipt number, with the units returned so far (device); 404 when the ledger has no such sale of the store",
      access: 'device',
      params: receiptParams,
      response: saleLookupResponseSchema,
      handler: async ({ params, principal }) =>
        lookupSale(db, storeOf(principal), { receiptNumber: params.receiptNumber }),
    }),
    route({
      method: 'GET',
      url: '/api/v1/sales/by-id/:saleId',
      summary:
        "A sale of this till's store by its id (the receipt QR), with the units returned so far (device); 404 when the ledger has no such sale of the store",
      access: 'device',
      params: saleIdParams,
      response: saleLookupResponseSchema,
      handler: async ({ params, principal }) =>
        lookupSale(db, storeOf(principal), { saleId: params.saleId }),
    }),
  ];
}
