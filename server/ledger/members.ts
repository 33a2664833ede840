// Members at the ledger: stored with keyed hashes of their contacts only, and re-checked against drops' per-customer limits when sales arrive.
import type { Kysely, Transaction } from 'kysely';
import type { Drop } from '../../shared/drops';
import type { Member, MemberUpsert } from '../../shared/members';
import { nextVersion } from '../db/database';
import type { LedgerDb } from '../db/schema';
import { conflict } from '../http/api';
import { type BatchLine, key } from './drop-rows';
import { hashContactAtLedger } from './member-keys';
import { type ExceptionInput, requireStore } from './write';

/** Create or update a member; a phone or e-mail is kept only as its hash keyed with the store's secret (absent: the old hash stays). */
export async function upsertMember(
  db: Kysely<LedgerDb>,
  storeId: string,
  memberId: string,
  body: MemberUpsert,
  now: Date,
): Promise<Member> {
  await requireStore(db, storeId);
  // Hashed before the transaction: a slow, keyed hash (shared/members.ts) should not hold a write lock.
  const phoneHash = body.phone ? await hashContactAtLedger(db, storeId, body.phone, now) : null;
  const emailHash = body.email ? await hashContactAtLedger(db, storeId, body.email, now) : null;
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('members')
      .selectAll()
      .where('id', '=', memberId)
      .executeTakeFirst();
    if (existing && existing.store_id !== storeId)
      throw conflict(`Member id ${memberId} belongs to another store.`);
    const version = await nextVersion(trx);
    const row = {
      store_id: storeId,
      name: body.name,
      tiers: JSON.stringify(body.tiers),
      phone_hash: phoneHash ?? existing?.phone_hash ?? null,
      email_hash: emailHash ?? existing?.email_hash ?? null,
      active: body.active ? (1 as const) : (0 as const),
      version,
    };
    await trx
      .insertInto('members')
      .values({ id: memberId, ...row, created_at: now.toISOString() })
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
    return {
      id: memberId,
      name: row.name,
      tiers: body.tiers,
      phoneHash: row.phone_hash,
      emailHash: row.email_hash,
      active: body.active,
    };
  });
}

/** Members this batch took past a drop's per-customer limit, counted across every till. */
export async function checkMemberLimits(
  trx: Transaction<LedgerDb>,
  deviceId: string,
  lines: readonly BatchLine[],
  drops: ReadonlyMap<string, Drop>,
): Promise<ExceptionInput[]> {
  const groups = new Map<string, BatchLine[]>();
  for (const l of lines) {
    if (!l.memberId || drops.get(l.dropId)?.perCustomerLimit == null) continue;
    const k = key(l.dropId, l.memberId);
    groups.set(k, [...(groups.get(k) ?? []), l]);
  }
  const out: ExceptionInput[] = [];
  for (const group of groups.values()) {
    const { dropId, memberId } = group[0] as BatchLine & { memberId: string };
    const drop = drops.get(dropId) as Drop;
    const limit = drop.perCustomerLimit as number;
    const rows = await trx
      .selectFrom('sale_lines')
      .innerJoin('sales', 'sales.id', 'sale_lines.sale_id')
      .select(['sales.id', 'sales.receipt_number', 'sale_lines.qty'])
      .where('sale_lines.drop_id', '=', dropId)
      .where('sales.member_id', '=', memberId)
      .execute();
    const bought = rows.reduce((n, r) => n + Number(r.qty), 0);
    const inBatch = group.reduce((n, l) => n + l.qty, 0);
    if (Math.max(0, bought - limit) <= Math.max(0, bought - inBatch - limit)) continue;
    const member = await trx
      .selectFrom('members')
      .select('name')
      .where('id', '=', memberId)
      .executeTakeFirst();
    const batchSales = new Set(group.map((l) => l.saleId));
    const earlier = [...new Set(rows.filter((r) => !batchSales.has(r.id)).map((r) => r.id))];
    out.push({
      kind: 'over-limit',
      message: `${member?.name ?? memberId} bought ${bought} in ${drop.name}, over the limit of ${limit} per customer (sales ${[...new Set(rows.map((r) => r.receipt_number))].sort().join(', ')}).`,
      deviceId,
      eventId: group[0]?.saleId ?? null,
      details: {
        dropId,
        memberId,
        bought,
        limit,
        saleIds: [...batchSales],
        earlierSaleIds: earlier,
      },
    });
  }
  return out;
}
