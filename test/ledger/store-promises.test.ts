// A store's returns and shipping promises at the ledger: a manager sets them, bad input changes nothing, every till pulls them and prints them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STORE_PROMISES, loadDemo } from '../../server/demo';
import { storeSettingsSchema } from '../../shared/catalog';
import { receiptDocument, receiptText } from '../../shared/receipt';
import type { Sale } from '../../shared/sale';
import {
  ADMIN_TOKEN,
  demo,
  engines,
  enrolTill,
  loginManager,
  makeSale,
  startLedger,
  type TestLedger,
} from './fixtures';

const TEXTS = {
  returnsPromise:
    'Retours : 14 jours avec le ticket.\nArticles « drop » : échange seulement, 7 jours.',
  shippingPromise: 'Livraison offerte dès 50 € — sinon 4,50 €.',
};

describe.each(engines)('store promises on %s', (engine) => {
  let ledger: TestLedger;
  let till: Awaited<ReturnType<typeof enrolTill>>;
  let manager: string;
  let url: string;
  const pull = async (cursor?: string) => {
    const q = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
    const res = await ledger.call('GET', `/api/v1/sync/pull${q}`, till.token);
    expect(res.status).toBe(200);
    return res.body;
  };
  const read = async () => (await ledger.call('GET', url, manager)).body;

  beforeAll(async () => {
    ledger = await startLedger(engine);
    till = await enrolTill(ledger);
    manager = await loginManager(ledger, ledger.storeId, 'staff-niamh', '9999');
    url = `/api/v1/stores/${ledger.storeId}/promises`;
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it("a till's first pull of the demo store brings the demo promises", async () => {
    const first = await pull();
    expect(first.full).toBe(true);
    expect(first.store).toMatchObject(DEMO_STORE_PROMISES);
    expect(await read()).toEqual(DEMO_STORE_PROMISES);
  });

  it("a manager sets both texts; the till's next pull brings them and its receipt prints them", async () => {
    const { cursor } = await pull();
    const saved = await ledger.call('PUT', url, manager, TEXTS);
    expect(saved).toEqual({ status: 200, body: TEXTS });
    expect(await read()).toEqual(TEXTS);

    const delta = await pull(cursor);
    expect(delta.full).toBe(false);
    const store = storeSettingsSchema.parse(delta.store);
    expect(store).toMatchObject({ ...TEXTS, name: demo.store.name, currency: 'EUR' });

    const sale = makeSale(till.deviceId, till.prefix, 1, [{ sku: 'TEE-LOGO-BLK-S', qty: 1 }])
      .payload as Sale;
    const paper = receiptText(receiptDocument(sale, store, { width: 32 })).map((l) => l.trim());
    const words = paper.join(' ');
    expect(paper).toContain('Retours : 14 jours avec le');
    expect(words).toContain('Articles « drop » : échange seulement, 7 jours.');
    expect(words).toContain('Livraison offerte dès 50 € — sinon 4,50 €.');
    expect(words.indexOf('Livraison')).toBeLessThan(words.indexOf('Show this code for returns'));
  });

  it('refuses NUL, 10 KB, wrong types and unknown fields with a 400 that names the field, and changes nothing', async () => {
    await ledger.call('PUT', url, manager, TEXTS);
    const { cursor } = await pull();
    const bad: [string, unknown, string][] = [
      ['a NUL byte', { ...TEXTS, returnsPromise: 'Returns\u0000 14 days' }, 'returnsPromise'],
      ['10 KB of text', { ...TEXTS, shippingPromise: 'x'.repeat(10_240) }, 'shippingPromise'],
      ['a number', { ...TEXTS, returnsPromise: 14 }, 'returnsPromise'],
      ['null', { ...TEXTS, shippingPromise: null }, 'shippingPromise'],
      ['a missing text', { returnsPromise: 'Returns: 7 days.' }, 'shippingPromise'],
      ['an array', [TEXTS], ''],
      ['another setting', { ...TEXTS, name: 'Renamed by a promise' }, ''],
      ['a lone surrogate', { ...TEXTS, returnsPromise: 'Returns \ud800' }, 'returnsPromise'],
    ];
    for (const [what, body, field] of bad) {
      const res = await ledger.call('PUT', url, manager, body);
      expect(res.status, what).toBe(400);
      expect(res.body.error.code, what).toBe('bad-request');
      expect(res.body.error.message, what).toMatch(/^Invalid body: /);
      if (field) expect(res.body.error.details[0].path, what).toBe(`body.${field}`);
    }
    expect(await read()).toEqual(TEXTS);
    // The store's version did not move: a till's delta pull has no store in it.
    expect((await pull(cursor)).store).toBeNull();
    const stored = await ledger.database.db
      .selectFrom('stores')
      .select(['name', 'settings'])
      .where('id', '=', ledger.storeId)
      .executeTakeFirstOrThrow();
    expect(stored.name).toBe(demo.store.name);
    expect(JSON.parse(stored.settings)).toMatchObject(TEXTS);
  });

  it('lets only a manager (or the admin) of this store read and set them', async () => {
    await ledger.call('PUT', url, manager, TEXTS);
    const other = 'southside-pop-up';
    const { returnsPromise: _r, shippingPromise: _s, ...noPromises } = demo.store;
    const created = await ledger.call('PUT', `/api/v1/stores/${other}`, ADMIN_TOKEN, {
      ...noPromises,
      storeId: other,
      name: 'Southside Pop-Up',
    });
    expect(created.status).toBe(200);
    const otherManager = await loginManager(ledger, other, 'staff-south', '4826');
    const cleared = { returnsPromise: '', shippingPromise: '' };

    expect((await ledger.call('PUT', url, otherManager, cleared)).status).toBe(403);
    expect((await ledger.call('PUT', url, till.token, cleared)).status).toBe(403);
    expect((await ledger.call('PUT', url, undefined, cleared)).status).toBe(401);
    expect((await ledger.call('GET', url, otherManager)).status).toBe(403);
    expect(await read()).toEqual(TEXTS);

    // The other store had none; its own manager sets its own.
    const theirs = `/api/v1/stores/${other}/promises`;
    expect(await ledger.call('GET', theirs, otherManager)).toEqual({ status: 200, body: cleared });
    const set = { returnsPromise: 'Returns: 30 days.', shippingPromise: '' };
    expect((await ledger.call('PUT', theirs, otherManager, set)).status).toBe(200);
    expect(await read()).toEqual(TEXTS);

    const missing = await ledger.call(
      'PUT',
      '/api/v1/stores/no-such-store/promises',
      ADMIN_TOKEN,
      set,
    );
    expect(missing.status).toBe(404);
  });

  it("an admin's store update sent without promises (an older script) keeps them; an empty text removes one", async () => {
    await ledger.call('PUT', url, manager, TEXTS);
    const { returnsPromise: _r, shippingPromise: _s, ...old } = demo.store;
    const renamed = await ledger.call('PUT', `/api/v1/stores/${ledger.storeId}`, ADMIN_TOKEN, {
      ...old,
      name: 'Northside Pop-Up (Winter)',
    });
    expect(renamed.status).toBe(200);
    expect(await read()).toEqual(TEXTS);
    const { cursor } = await pull();

    const none = { returnsPromise: TEXTS.returnsPromise, shippingPromise: '' };
    expect((await ledger.call('PUT', url, manager, none)).status).toBe(200);
    const store = storeSettingsSchema.parse((await pull(cursor)).store);
    expect(store.name).toBe('Northside Pop-Up (Winter)');
    expect(store.shippingPromise).toBe('');
    const sale = makeSale(till.deviceId, till.prefix, 2, [{ sku: 'TEE-LOGO-BLK-S', qty: 1 }])
      .payload as Sale;
    const words = receiptText(receiptDocument(sale, store, { width: 48 })).join(' ');
    expect(words).toContain('Retours');
    expect(words).not.toContain('Livraison');
  });

  it('loading the demo again gives an old demo store the demo texts once, and never overwrites a manager’s', async () => {
    await ledger.call('PUT', url, manager, TEXTS);
    await loadDemo(ledger.database.db);
    expect(await read()).toEqual(TEXTS);

    // A demo ledger from before promises: its settings have neither.
    const { returnsPromise: _r, shippingPromise: _s, ...old } = demo.store;
    await ledger.database.db
      .updateTable('stores')
      .set({ settings: JSON.stringify(old) })
      .where('id', '=', ledger.storeId)
      .execute();
    expect(await read()).toEqual({ returnsPromise: '', shippingPromise: '' });
    const { cursor } = await pull();
    await loadDemo(ledger.database.db);
    expect(await read()).toEqual(DEMO_STORE_PROMISES);
    expect((await pull(cursor)).store).toMatchObject(DEMO_STORE_PROMISES);
  });
});
