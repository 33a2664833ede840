// Drop fixtures for ledger tests: a drop definition, drop sales as a till records them, and manager/till calls for drops.
import type { Drop } from '../../shared/drops';
import type { Sale } from '../../shared/sale';
import type { PullResponse } from '../../shared/sync';
import { ADMIN_TOKEN, type enrolTill, makeSale, type TestLedger } from './fixtures';

export type Till = Awaited<ReturnType<typeof enrolTill>>;

const HOUR = 3600_000;

/** A drop of demo SKUs that is live now (opened an hour ago, closes in two). */
export function liveDrop(id: string, over: Partial<Drop> = {}): Drop {
  const now = Date.now();
  return {
    id,
    name: `Drop ${id}`,
    startsAt: new Date(now - HOUR).toISOString(),
    endsAt: new Date(now + 2 * HOUR).toISOString(),
    access: [],
    perCustomerLimit: null,
    restockAt: null,
    allotments: 'auto',
    status: 'scheduled',
    items: [{ sku: 'HAT-CAP-REF', quantity: 10, ladder: [] }],
    ...over,
  };
}

export async function putDrop(ledger: TestLedger, drop: Drop, token = ADMIN_TOKEN) {
  return ledger.call('PUT', `/api/v1/stores/${ledger.storeId}/drops/${drop.id}`, token, drop);
}

/** PUT a drop and fail the test unless the ledger took it. */
export async function createDrop(ledger: TestLedger, drop: Drop) {
  const res = await putDrop(ledger, drop);
  if (res.status !== 200) throw new Error(`drop failed ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The store's drops as a manager lists them. */
export async function progressOf(ledger: TestLedger, dropId: string, sku: string) {
  const res = await ledger.call('GET', `/api/v1/stores/${ledger.storeId}/drops`, ADMIN_TOKEN);
  const drop = res.body.drops.find((d: { id: string }) => d.id === dropId);
  return drop.progress.find((p: { sku: string }) => p.sku === sku) as {
    sku: string;
    quantity: number;
    sold: number;
    allotted: number;
    pool: number;
  };
}

/**
 * A till's sequence of drop sales: each call is one sale of `qty` units of a drop item,
 * with the line's drop facts and, optionally, the member who bought.
 */
export function dropSeller(till: Till, start = 1) {
  let seq = start - 1;
  return (dropId: string, sku: string, qty: number, memberId?: string) => {
    seq += 1;
    const event = makeSale(till.deviceId, till.prefix, seq, [{ sku, qty }], {
      at: new Date(Date.now() - 60_000 + seq * 100),
    });
    const sale = event.payload as Sale;
    const lines = sale.lines.map((l) => ({
      ...l,
      drop: { dropId, step: -1, tier: 'everyone', fastFulfilment: false },
    }));
    return { ...event, payload: { ...sale, lines, ...(memberId ? { memberId } : {}) } };
  };
}

export async function pullAs(ledger: TestLedger, till: Till, cursor?: string) {
  const q = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
  const res = await ledger.call('GET', `/api/v1/sync/pull${q}`, till.token);
  if (res.status !== 200) throw new Error(`pull failed ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as PullResponse;
}

/** This till's allotment of a drop item, as its pull says. */
export async function allotmentOf(ledger: TestLedger, till: Till, dropId: string, sku: string) {
  const pull = await pullAs(ledger, till);
  return pull.allotments.find((a) => a.dropId === dropId && a.sku === sku)?.qty ?? 0;
}

export async function openExceptions(ledger: TestLedger, kind: string) {
  const res = await ledger.call(
    'GET',
    `/api/v1/stores/${ledger.storeId}/exceptions?status=open`,
    ADMIN_TOKEN,
  );
  if (res.status !== 200) throw new Error(`exceptions failed: ${JSON.stringify(res.body)}`);
  const all = res.body.exceptions as {
    id: string;
    kind: string;
    message: string;
    details: Record<string, unknown>;
  }[];
  return all.filter((e) => e.kind === kind);
}
