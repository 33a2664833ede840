// Promo codes at the ledger: campaigns and keys a till pulls, and redemptions/issues recorded from pushed facts.
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { ParsedEvent } from '../../shared/events';
import type { PromoKey } from '../../shared/promo';
import { checkQr, parseCode, tagMatches } from '../../shared/promo-code';
import type { PullResponse } from '../../shared/sync';
import type { LedgerDb } from '../db/schema';
import { campaignFromRow, storeHmacKeys } from './campaigns';
import { type ExceptionInput, insertMany } from './write';

export type PromoPull = Pick<PullResponse, 'campaigns' | 'promoKeys' | 'codeUsage'>;

/** Ended campaigns stay on tills this long, so a late code is refused as expired rather than unknown. */
const ENDED_KEPT_MS = 90 * 24 * 3600 * 1000;

/**
 * Campaigns and keys changed since `after` (all on a full pull), and the current usage of every
 * recent campaign's codes: rows per (code, campaign, member) with uses and discount given.
 */
export async function pullPromos(
  db: Kysely<LedgerDb> | Transaction<LedgerDb>,
  device: { id: string; storeId: string },
  after: number,
  now: Date,
): Promise<PromoPull> {
  const recent = new Date(now.getTime() - ENDED_KEPT_MS).toISOString();
  await storeHmacKeys(db, device.storeId, now);
  let campaigns = db
    .selectFrom('campaigns')
    .selectAll()
    .where('store_id', '=', device.storeId)
    .where('version', '>', after);
  if (after < 0) campaigns = campaigns.where('ends_at', '>', recent);
  const keys = await db
    .selectFrom('promo_keys')
    .leftJoin('devices', 'devices.id', 'promo_keys.device_id')
    .select([
      'promo_keys.id',
      'promo_keys.kind',
      'promo_keys.secret',
      'promo_keys.device_id',
      'promo_keys.public_key',
      'promo_keys.retired',
      'promo_keys.revoked',
    ])
    .where('promo_keys.store_id', '=', device.storeId)
    .where('promo_keys.version', '>', after)
    // A revoked till's signature no longer vouches for anything: a snapshot leaves its key out,
    // a later pull marks it revoked on the tills that have it.
    .where((eb) =>
      eb.or([
        eb('promo_keys.kind', '=', 'hmac'),
        eb('devices.status', '=', 'active'),
        ...(after >= 0 ? [eb('promo_keys.revoked', '=', 1)] : []),
      ]),
    )
    .orderBy('promo_keys.id')
    .execute();
  const usage = await db
    .selectFrom('redemptions')
    .innerJoin('campaigns', 'campaigns.id', 'redemptions.campaign_id')
    .select((eb) => [
      'redemptions.code',
      'redemptions.campaign_id',
      'redemptions.member_id',
      eb.fn.countAll<string | number>().as('uses'),
      eb.fn.sum<string | number>('redemptions.discount').as('discount'),
    ])
    .where('redemptions.store_id', '=', device.storeId)
    .where('campaigns.ends_at', '>', recent)
    .groupBy(['redemptions.code', 'redemptions.campaign_id', 'redemptions.member_id'])
    .orderBy('redemptions.code')
    .execute();
  return {
    campaigns: (await campaigns.orderBy('id').execute()).map(campaignFromRow),
    promoKeys: keys.map(
      (k): PromoKey =>
        k.kind === 'hmac'
          ? {
              kind: 'hmac',
              id: k.id,
              secret: k.secret ?? '',
              retired: k.retired === 1,
              ...(k.revoked === 1 ? { revoked: true } : {}),
            }
          : {
              kind: 'ed25519',
              id: k.id,
              deviceId: k.device_id ?? '',
              publicKey: k.public_key ?? '',
              ...(k.revoked === 1 ? { revoked: true } : {}),
            },
    ),
    codeUsage: usage.map((u) => ({
      code: u.code,
      campaignId: u.campaign_id,
      memberId: u.member_id,
      uses: Number(u.uses),
      discount: Number(u.discount),
    })),
  };
}

type Redeemed = Extract<ParsedEvent, { type: 'promo.redeemed' }>;

/**
 * Store promo.redeemed / promo.issued facts from an accepted batch (after its sales), mark
 * redeeming sales as channel "promo", and return exceptions for codes used more than allowed,
 * members over their limit, budgets passed, and codes the store's keys did not make.
 * A redemption is flagged when the limit was already reached by the ones recorded before it,
 * so each offending redemption is flagged once, by the push that brought it.
 */
export async function recordPromoFacts(
  trx: Transaction<LedgerDb>,
  device: { id: string; storeId: string },
  accepted: readonly ParsedEvent[],
  receivedAt: string,
): Promise<ExceptionInput[]> {
  const redeemed = accepted.filter((e): e is Redeemed => e.type === 'promo.redeemed');
  const issued = accepted.filter((e) => e.type === 'promo.issued');
  if (redeemed.length === 0 && issued.length === 0) return [];
  const exceptions: ExceptionInput[] = [];
  const ids = [...new Set([...redeemed, ...issued].map((e) => e.payload.campaignId))].sort();
  // Lock the campaigns one by one in id order (an update takes the row lock on PostgreSQL; SQLite
  // already serialises writers): a concurrent push redeeming the same code waits, then sees ours.
  // (Pushes also take the ledger version row first; this keeps the count right without relying on it.)
  for (const id of ids) {
    await trx
      .updateTable('campaigns')
      .set((eb) => ({ version: eb.ref('version') }))
      .where('id', '=', id)
      .execute();
  }
  const campaignRows = await trx
    .selectFrom('campaigns')
    .selectAll()
    .where('store_id', '=', device.storeId)
    .where('id', 'in', ids)
    .execute();
  const campaigns = new Map(campaignRows.map((r) => [r.id, campaignFromRow(r)]));
  const keys = await storeHmacKeys(trx, device.storeId, new Date(receivedAt));

  const codeRows: Insertable<LedgerDb['promo_codes']>[] = [];
  for (const e of issued) {
    if (e.type !== 'promo.issued') continue;
    const c = campaigns.get(e.payload.campaignId);
    if (!c?.tillsMayIssue) {
      exceptions.push({
        kind: 'promo-issue-refused',
        message: c
          ? `A till issued ${e.payload.codes.length} code(s) for "${c.name}", which tills may not issue`
          : `A till issued codes for unknown campaign ${e.payload.campaignId}`,
        deviceId: device.id,
        eventId: e.id,
        details: { campaignId: e.payload.campaignId, codes: e.payload.codes },
      });
    }
    for (const code of e.payload.codes) {
      codeRows.push({
        code,
        store_id: device.storeId,
        campaign_id: e.payload.campaignId,
        device_id: device.id,
        sale_id: e.payload.saleId,
        member_id: e.payload.memberId,
        issued_at: e.createdAt,
      });
    }
  }
  for (const row of codeRows) {
    await trx
      .insertInto('promo_codes')
      .values(row)
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
  }

  // In the order the customers used them.
  const batch = [...redeemed].sort(
    (a, b) => a.createdAt.localeCompare(b.createdAt) || a.seq - b.seq,
  );
  await insertMany(
    trx,
    'redemptions',
    batch.map((e) => ({
      event_id: e.id,
      store_id: device.storeId,
      code: e.payload.code,
      campaign_id: e.payload.campaignId,
      sale_id: e.payload.saleId,
      device_id: device.id,
      member_id: e.payload.memberId,
      discount: e.payload.discount,
      device_time: e.createdAt,
      received_at: receivedAt,
    })),
  );
  for (const e of batch) {
    await trx
      .updateTable('sales')
      .set({ channel: 'promo', campaign_id: e.payload.campaignId, promo_code: e.payload.code })
      .where('id', '=', e.payload.saleId)
      .where('store_id', '=', device.storeId)
      .execute();
    const c = campaigns.get(e.payload.campaignId);
    const parsed = parseCode(e.payload.code);
    if (!c || !parsed.ok || !tagMatches(parsed, c.id, keys)) {
      exceptions.push({
        kind: 'promo-code-invalid',
        message: c
          ? `Code ${e.payload.code} was accepted for "${c.name}" but the store's keys did not make it`
          : `Code ${e.payload.code} was redeemed for unknown campaign ${e.payload.campaignId}`,
        deviceId: device.id,
        eventId: e.id,
        details: {
          code: e.payload.code,
          campaignId: e.payload.campaignId,
          saleId: e.payload.saleId,
        },
      });
    }
  }
  exceptions.push(...(await checkSignatures(trx, device, batch, campaigns)));
  if (batch.length > 0) exceptions.push(...(await checkLimits(trx, device, batch, campaigns)));
  return exceptions;
}

/**
 * A signed-only offer is taken from its signed QR only (tills refuse the typed code, offline
 * too). The ledger checks again what the fact carries: the QR as scanned, signed by a till key
 * of the store that is not withdrawn, for the code redeemed. A fact without one, or with one
 * that does not verify, is for a manager: the sale happened, the offer was not the store's.
 */
async function checkSignatures(
  trx: Transaction<LedgerDb>,
  device: { id: string; storeId: string },
  batch: readonly Redeemed[],
  campaigns: ReadonlyMap<string, ReturnType<typeof campaignFromRow>>,
): Promise<ExceptionInput[]> {
  const signedOnly = batch.filter((e) => campaigns.get(e.payload.campaignId)?.signedOnly);
  if (signedOnly.length === 0) return [];
  const keys: PromoKey[] = (
    await trx
      .selectFrom('promo_keys')
      .select(['id', 'device_id', 'public_key', 'revoked'])
      .where('store_id', '=', device.storeId)
      .where('kind', '=', 'ed25519')
      .execute()
  ).map((k) => ({
    kind: 'ed25519',
    id: k.id,
    deviceId: k.device_id ?? '',
    publicKey: k.public_key ?? '',
    ...(k.revoked === 1 ? { revoked: true } : {}),
  }));
  const exceptions: ExceptionInput[] = [];
  for (const e of signedOnly) {
    const { code, qr, campaignId, saleId } = e.payload;
    const c = campaigns.get(campaignId)!;
    const checked = qr ? checkQr(qr, keys) : null;
    const why = !checked
      ? 'typed, not scanned from its signed QR'
      : !checked.ok
        ? checked.code === 'revoked-key'
          ? 'scanned from a QR signed with a withdrawn till key'
          : 'scanned from a QR whose signature the ledger cannot verify'
        : checked.code !== code
          ? `scanned from a signed QR of another code (${checked.code})`
          : null;
    if (!why) continue;
    exceptions.push({
      kind: 'promo-unsigned',
      message: `Code ${code} for "${c.name}", a signed-QR-only offer, was ${why}`,
      deviceId: device.id,
      eventId: e.id,
      details: { code, campaignId, saleId, qr: qr ?? null },
    });
  }
  return exceptions;
}

/** Uses, customer uses and spend recorded before this batch, then this batch's in order: who went over. */
async function checkLimits(
  trx: Transaction<LedgerDb>,
  device: { id: string; storeId: string },
  batch: readonly Redeemed[],
  campaigns: ReadonlyMap<string, ReturnType<typeof campaignFromRow>>,
): Promise<ExceptionInput[]> {
  const exceptions: ExceptionInput[] = [];
  const batchIds = batch.map((e) => e.id);
  const earlier = await trx
    .selectFrom('redemptions')
    .select(['code', 'campaign_id', 'member_id', 'discount'])
    .where('store_id', '=', device.storeId)
    .where('campaign_id', 'in', [...new Set(batch.map((e) => e.payload.campaignId))])
    .where('event_id', 'not in', batchIds)
    .execute();
  const codeUses = new Map<string, number>();
  const memberUses = new Map<string, number>();
  const spent = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string, by: number) => m.set(k, (m.get(k) ?? 0) + by);
  for (const r of earlier) {
    bump(codeUses, `${r.campaign_id}|${r.code}`, 1);
    if (r.member_id) bump(memberUses, `${r.campaign_id}|${r.member_id}`, 1);
    bump(spent, r.campaign_id, Number(r.discount));
  }
  for (const e of batch) {
    const { code, campaignId, memberId, discount } = e.payload;
    const c = campaigns.get(campaignId);
    const uses = bump(codeUses, `${campaignId}|${code}`, 1).get(`${campaignId}|${code}`)!;
    const byMember = memberId
      ? bump(memberUses, `${campaignId}|${memberId}`, 1).get(`${campaignId}|${memberId}`)!
      : 0;
    const total = bump(spent, campaignId, discount).get(campaignId)!;
    if (!c) continue;
    if (c.maxUsesPerCode !== null && uses > c.maxUsesPerCode) {
      const sales = await salesOf(trx, device.storeId, (q) =>
        q.where('redemptions.code', '=', code),
      );
      exceptions.push({
        kind: 'double-redeemed',
        message: `Code ${code} was used ${uses} times (allowed ${c.maxUsesPerCode}): ${sales.receipts.join(', ')}`,
        deviceId: device.id,
        eventId: e.id,
        details: { code, campaignId, limit: c.maxUsesPerCode, uses, ...sales },
      });
    }
    if (memberId && c.maxUsesPerCustomer !== null && byMember > c.maxUsesPerCustomer) {
      const sales = await salesOf(trx, device.storeId, (q) =>
        q
          .where('redemptions.campaign_id', '=', campaignId)
          .where('redemptions.member_id', '=', memberId),
      );
      exceptions.push({
        kind: 'double-redeemed',
        message: `Member ${memberId} used "${c.name}" ${byMember} times (allowed ${c.maxUsesPerCustomer}): ${sales.receipts.join(', ')}`,
        deviceId: device.id,
        eventId: e.id,
        details: {
          code,
          campaignId,
          memberId,
          limit: c.maxUsesPerCustomer,
          uses: byMember,
          ...sales,
        },
      });
    }
    if (c.budget !== null && total > c.budget && discount > 0) {
      exceptions.push({
        kind: 'budget-exceeded',
        message: `"${c.name}" has given ${total} in discounts, over its budget of ${c.budget}`,
        deviceId: device.id,
        eventId: e.id,
        details: { campaignId, budget: c.budget, spent: total, code, saleId: e.payload.saleId },
      });
    }
  }
  return exceptions;
}

type RedemptionQuery = ReturnType<typeof redemptionSales>;

function redemptionSales(trx: Transaction<LedgerDb>, storeId: string) {
  return trx
    .selectFrom('redemptions')
    .leftJoin('sales', 'sales.id', 'redemptions.sale_id')
    .select(['redemptions.sale_id', 'redemptions.device_id', 'sales.receipt_number'])
    .where('redemptions.store_id', '=', storeId);
}

/** The sales (and tills) behind a set of redemptions, oldest first. */
async function salesOf(
  trx: Transaction<LedgerDb>,
  storeId: string,
  filter: (q: RedemptionQuery) => RedemptionQuery,
): Promise<{ saleIds: string[]; deviceIds: string[]; receipts: string[] }> {
  const rows = await filter(redemptionSales(trx, storeId))
    .orderBy('redemptions.device_time')
    .orderBy('redemptions.event_id')
    .execute();
  return {
    saleIds: rows.map((r) => r.sale_id),
    deviceIds: [...new Set(rows.map((r) => r.device_id))],
    receipts: rows.map((r) => r.receipt_number ?? r.sale_id),
  };
}
