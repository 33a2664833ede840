// Members at the ledger: contacts kept only as hashes, and per-customer limits re-checked across tills.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactDigest, contactHash } from '../../shared/members';
import {
  createDrop,
  dropSeller,
  liveDrop,
  openExceptions,
  pullAs,
  type Till,
} from './drop-fixtures';
import { ADMIN_TOKEN, engines, enrolTill, push, startLedger, type TestLedger } from './fixtures';

const CAP = 'HAT-CAP-REF';
const BEANIE = 'HAT-BNE-NUM-GRN';

describe.each(engines)('members and per-customer limits on %s', (engine) => {
  let ledger: TestLedger;
  let a: Till;
  let b: Till;
  let sellA: ReturnType<typeof dropSeller>;
  let sellB: ReturnType<typeof dropSeller>;
  const putMember = (id: string, body: unknown, token = ADMIN_TOKEN) =>
    ledger.call('PUT', `/api/v1/stores/${ledger.storeId}/members/${id}`, token, body);

  beforeAll(async () => {
    ledger = await startLedger(engine);
    a = await enrolTill(ledger, 'Till A');
    b = await enrolTill(ledger, 'Till B');
    sellA = dropSeller(a);
    sellB = dropSeller(b);
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('stores a member’s phone and e-mail only as hashes keyed with the store’s secret, which the till pulls with the key', async () => {
    const res = await putMember('MTESTAB1', {
      name: 'Orla Test',
      tiers: ['members'],
      // National form in an Irish store: the till finds it typed as +353 87 765 4321 too.
      phone: '087 765 4321',
      email: ' Orla@Example.IE ',
    });
    expect(res.status).toBe(200);
    const { memberKey } = await pullAs(ledger, a);
    expect(memberKey).toMatch(/^[0-9a-f]{64}$/);
    // Hashed at the till (JavaScript scrypt) as the ledger hashed it (Node's native scrypt).
    const phoneHash = await contactHash(memberKey!, ledger.storeId, '+353 87 765 4321', 'IE');
    const emailHash = await contactHash(memberKey!, ledger.storeId, 'orla@example.ie', 'IE');
    expect(phoneHash).not.toBe(contactDigest(ledger.storeId, '+353877654321'));
    expect(res.body).toEqual({
      id: 'MTESTAB1',
      name: 'Orla Test',
      tiers: ['members'],
      phoneHash,
      emailHash,
      active: true,
    });
    const row = await ledger.database.db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', 'MTESTAB1')
      .executeTakeFirstOrThrow();
    const stored = JSON.stringify(row).toLowerCase();
    expect(stored).not.toContain('7654321');
    expect(stored).not.toContain('orla@');
    expect(row.phone_hash).toBe(phoneHash);

    const pulled = (await pullAs(ledger, a)).members.find((m) => m.id === 'MTESTAB1');
    expect(pulled).toMatchObject({ phoneHash, emailHash, tiers: ['members'] });

    // A later change without contacts keeps the hashes.
    await putMember('MTESTAB1', { name: 'Orla T.', tiers: ['members', 'subscribers'] });
    const again = (await pullAs(ledger, a)).members.find((m) => m.id === 'MTESTAB1');
    expect(again).toMatchObject({ name: 'Orla T.', phoneHash, emailHash });

    expect((await putMember('not-a-member-id', { name: 'X', tiers: [] })).status).toBe(400);
    expect((await putMember('MTESTAB2', { name: 'X', tiers: [] }, a.token)).status).toBe(403);
  });

  it('carries a member’s purchases on another till, so the next till can refuse past the limit', async () => {
    await createDrop(ledger, liveDrop('limit-synced', { perCustomerLimit: 1 }));
    await putMember('MQ7R0001', { name: 'Aoife Member', tiers: ['members'] });
    await push(ledger, a.token, [sellA('limit-synced', CAP, 1, 'MQ7R0001')]);
    const pulled = await pullAs(ledger, b);
    expect(pulled.memberPurchases).toContainEqual({
      dropId: 'limit-synced',
      memberId: 'MQ7R0001',
      qty: 1,
    });
  });

  it('flags a member who bought past the limit on two offline tills, once', async () => {
    await createDrop(
      ledger,
      liveDrop('limit-offline', {
        perCustomerLimit: 1,
        items: [
          { sku: CAP, quantity: 10, ladder: [] },
          { sku: BEANIE, quantity: 4, ladder: [] },
        ],
      }),
    );
    await putMember('MQ7R0002', { name: 'Cathal Member', tiers: [] });
    const onA = sellA('limit-offline', CAP, 1, 'MQ7R0002');
    const onB = sellB('limit-offline', BEANIE, 1, 'MQ7R0002');
    // Someone anonymous on B: not a member, not part of any limit.
    const anonymous = sellB('limit-offline', CAP, 1);
    await push(ledger, a.token, [onA]);
    expect(await openExceptions(ledger, 'over-limit')).toEqual([]);
    await push(ledger, b.token, [onB, anonymous]);
    await push(ledger, b.token, [onB, anonymous]);

    const flagged = await openExceptions(ledger, 'over-limit');
    expect(flagged).toHaveLength(1);
    expect(flagged[0]?.details).toEqual({
      dropId: 'limit-offline',
      memberId: 'MQ7R0002',
      bought: 2,
      limit: 1,
      saleIds: [onB.id],
      earlierSaleIds: [onA.id],
    });
    expect(flagged[0]?.message).toContain('Cathal Member bought 2 in Drop limit-offline');
  });
});
