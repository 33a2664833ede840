// Re-checking the arithmetic of a batch's sales against the store's rules before they are applied.
import type { Transaction } from 'kysely';
import { storeSettingsSchema } from '../../shared/catalog';
import type { Sale } from '../../shared/sale';
import { auditSale } from '../../shared/sale-audit';
import type { LedgerDb } from '../db/schema';

const roundingOnly = storeSettingsSchema.pick({ cashRounding: true });

/** The store's cash rounding, read once per batch; 1 (none) when the settings cannot say. */
async function cashRoundingOf(trx: Transaction<LedgerDb>, storeId: string): Promise<number> {
  const row = await trx
    .selectFrom('stores')
    .select('settings')
    .where('id', '=', storeId)
    .executeTakeFirst();
  if (!row) return 1;
  let settings: unknown;
  try {
    settings = JSON.parse(row.settings);
  } catch {
    return 1;
  }
  const parsed = roundingOnly.safeParse(settings);
  // The audit also accepts any increment the store could have had, so this only picks the
  // increment named in a rejection's reason.
  return parsed.success ? parsed.data.cashRounding : 1;
}

/**
 * Why each sale that does not add up is refused, by event id (sales that add up are absent).
 * Payloads must already have passed the sale schema.
 */
export async function auditSales(
  trx: Transaction<LedgerDb>,
  storeId: string,
  sales: ReadonlyArray<{ id: string; payload: Sale }>,
): Promise<Map<string, string>> {
  const reasons = new Map<string, string>();
  if (sales.length === 0) return reasons;
  const rules = { cashRounding: await cashRoundingOf(trx, storeId) };
  for (const { id, payload } of sales) {
    const audit = auditSale(payload, rules);
    if (!audit.ok) reasons.set(id, `the sale does not add up: ${audit.reason}`);
  }
  return reasons;
}
