// Finding other tills' sales for a return at the real ledger: the recent-sales index in the pull (other tills only, the return window, deltas), returned units, and the lookup by receipt number or sale id (never another store's).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sale } from '../../shared/sale';
import { RETURNED_WINDOW_DAYS, saleLookupResponseSchema } from '../../shared/sync';
import { pullAs, type Till } from './drop-fixtures';
import {
  ADMIN_TOKEN,
  engines,
  enrolTill,
  loginManager,
  makeSale,
  push,
  startLedger,
  storeSettings,
  type TestLedger,
} from './fixtures';
import { makeReturn } from './return-fixtures';

const NOW = new Date('2026-11-25T18:00:00Z');
const DAY_MS = 86_400_000;

describe.each(engines)("other tills' sales on %s", (engine) => {
  let ledger: TestLedger;
  let front: Till;
  let back: Till;
  let other: Till;
  const seqs = new Map<string, number>();
  const next = (t: Till) => {
    const s = (seqs.get(t.deviceId) ?? 0) + 1;
    seqs.set(t.deviceId, s);
    return s;
  };
  const sell = async (t: Till, at: Date, qty = 1) => {
    const e = makeSale(t.deviceId, t.prefix, next(t), [{ sku: 'TEE-LOGO-BLK-M', qty }], {
      at,
      tender: 'card',
    });
    const res = await push(ledger, t.token, [e]);
    expect(res.results[0]?.status, JSON.stringify(res.results[0])).toBe('accepted');
    return e.payload as Sale;
  };
  const lookup = (t: Till | string, path: string) =>
    ledger.call('GET', `/api/v1/sales/${path}`, typeof t === 'string' ? t : t.token);

  let old: Sale;
  let recent: Sale;
  let own: Sale;
  let elsewhere: Sale;

  beforeAll(async () => {
    ledger = await startLedger(engine, { now: () => NOW });
    front = await enrolTill(ledger, 'Front');
    back = await enrolTill(ledger, 'Back');
    const storeB = `lookup-b-${engine}`;
    await ledger.call('PUT', `/api/v1/stores/${storeB}`, ADMIN_TOKEN, storeSettings(storeB));
    const code = await ledger.call('POST', `/api/v1/stores/${storeB}/pairing-codes`, ADMIN_TOKEN);
    other = (
      await ledger.call('POST', '/api/v1/devices/enroll', undefined, {
        pairingCode: code.body.code,
        name: 'Elsewhere',
      })
    ).body as Till;
    old = await sell(front, new Date(NOW.getTime() - (RETURNED_WINDOW_DAYS + 5) * DAY_MS));
    recent = await sell(front, new Date(NOW.getTime() - 2 * DAY_MS), 2);
    own = await sell(back, new Date(NOW.getTime() - DAY_MS));
    // Receipt numbers are per till: start the other store's till where store A's tills have none.
    seqs.set(other.deviceId, 49);
    elsewhere = await sell(other, new Date(NOW.getTime() - DAY_MS));
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it("pulls the other tills' sales of the return window as they were sent, never its own, an old one or another store's", async () => {
    const pull = await pullAs(ledger, back);
    expect(pull.full).toBe(true);
    const ids = pull.storeSales.map((s) => s.id);
    expect(ids).toContain(recent.id);
    expect(ids).not.toContain(old.id);
    expect(ids).not.toContain(own.id);
    expect(ids).not.toContain(elsewhere.id);
    expect(pull.storeSales.find((s) => s.id === recent.id)).toEqual(recent);
    // Front sees Back's sale, not its own.
    const frontIds = (await pullAs(ledger, front)).storeSales.map((s) => s.id);
    expect(frontIds).toEqual([own.id]);
  });

  it('sends only sales stored since the cursor on a delta pull, and the returned units of every recent sale', async () => {
    const first = await pullAs(ledger, back);
    const later = await sell(front, new Date(NOW.getTime() - 3600_000));
    const ret = makeReturn(front, next(front), recent, [{ lineNo: 1, qty: 1 }], {
      at: new Date(NOW.getTime() - 1800_000),
    });
    expect((await push(ledger, front.token, [ret])).results[0]?.status).toBe('accepted');

    const delta = await pullAs(ledger, back, first.cursor);
    expect(delta.full).toBe(false);
    expect(delta.storeSales.map((s) => s.id)).toEqual([later.id]);
    expect(delta.returnedLines).toContainEqual({ saleId: recent.id, lineNo: 1, qty: 1 });
    const again = await pullAs(ledger, back, delta.cursor);
    expect(again.storeSales).toEqual([]);
  });

  it('finds a sale of its store by receipt number or by sale id (the QR), with what came back of it', async () => {
    const byReceipt = await lookup(back, `by-receipt/${encodeURIComponent(recent.receiptNumber)}`);
    expect(byReceipt.status, JSON.stringify(byReceipt.body)).toBe(200);
    const found = saleLookupResponseSchema.parse(byReceipt.body);
    expect(found.sale).toEqual(recent);
    expect(found.returnedLines).toEqual([{ saleId: recent.id, lineNo: 1, qty: 1 }]);
    // A sale older than the pull's window is still found online.
    const byId = await lookup(back, `by-id/${old.id.toLowerCase()}`);
    expect(byId.status).toBe(200);
    expect(byId.body.sale.id).toBe(old.id);
    expect(byId.body.returnedLines).toEqual([]);
  });

  it("answers the same 404 for an unknown sale and for another store's, 400 for bad input, and needs a device token", async () => {
    const unknown = await lookup(back, 'by-receipt/T9-000999');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('Receipt T9-000999 is not a sale of this store');
    const theirs = await lookup(back, `by-receipt/${encodeURIComponent(elsewhere.receiptNumber)}`);
    expect(theirs.status).toBe(404);
    expect(theirs.body.error.message).toBe(
      `Receipt ${elsewhere.receiptNumber} is not a sale of this store the ledger has: check the number, or the sale may still be on an offline till.`,
    );
    expect(JSON.stringify(theirs.body)).not.toContain(elsewhere.id);
    const theirsById = await lookup(back, `by-id/${elsewhere.id}`);
    expect(theirsById.status).toBe(404);
    // The other store's till finds its own sale.
    expect((await lookup(other, `by-id/${elsewhere.id}`)).status).toBe(200);

    for (const bad of ['by-id/not-a-sale-id', 'by-receipt/x', `by-receipt/${'9'.repeat(80)}`]) {
      const res = await lookup(back, bad);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code).toBe('bad-request');
    }
    const badId = await lookup(back, 'by-id/not-a-sale-id');
    expect(badId.body.error.message).toContain('26-character code in the receipt QR');
    const control = await lookup(back, 'by-receipt/T1%00%01');
    expect(control.status).toBe(400);

    const manager = await loginManager(ledger, ledger.storeId, 'staff-lookup-mgr', '7261');
    expect((await lookup(manager, `by-id/${recent.id}`)).status).toBe(403);
    expect((await ledger.call('GET', `/api/v1/sales/by-id/${recent.id}`)).status).toBe(401);
  });
});
