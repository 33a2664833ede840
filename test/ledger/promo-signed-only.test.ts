// A signed-only offer at the ledger: a redemption that carries its signed QR (a registered till key, the code redeemed) stands; a typed code, a QR of an unknown key or of another code is flagged for a manager.
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../shared/events';
import type { Campaign, PromoKey } from '../../shared/promo';
import { deviceNoFromPrefix, issueQr, promoSigningKeyPair } from '../../shared/promo-code';
import type { Sale } from '../../shared/sale';
import {
  ADMIN_TOKEN,
  engines,
  enrolTill,
  makeSale,
  membersCampaign,
  push,
  startLedger,
  type TestLedger,
} from './fixtures';

const vip: Campaign = membersCampaign({
  id: 'vip',
  name: 'VIP night',
  prefix: 'VIP',
  audience: { kind: 'anyone' },
  offer: { kind: 'amount', amount: 500 },
  tillsMayIssue: true,
  signedOnly: true,
});

describe.each(engines)('a signed-only offer at the ledger on %s', (engine) => {
  let ledger: TestLedger;
  let till: Awaited<ReturnType<typeof enrolTill>>;
  let hmac: Extract<PromoKey, { kind: 'hmac' }>;
  let signer: { keyId: string; secretKeyHex: string };
  let seq = 0;
  let codeSeq = 0;

  /** A sale with the offer's discount and its promo.redeemed fact, as the till records them. */
  const redeemed = (code: string, qr?: string): EventEnvelope[] => {
    const sale = makeSale(till.deviceId, till.prefix, ++seq, [
      { sku: 'TEE-LOGO-BLK-M', qty: 1, discount: { kind: 'amount', amount: 500 } },
    ]);
    const payload = sale.payload as Sale;
    return [
      sale,
      {
        id: ulid(Date.parse(payload.createdAt) + 1),
        seq: ++seq,
        type: 'promo.redeemed',
        createdAt: payload.createdAt,
        payload: {
          saleId: payload.id,
          deviceId: till.deviceId,
          code,
          campaignId: vip.id,
          memberId: null,
          discount: 500,
          ...(qr ? { qr } : {}),
        },
      },
    ];
  };
  const signedCode = (by = signer) =>
    issueQr({
      campaign: vip,
      deviceNo: deviceNoFromPrefix(till.prefix)!,
      seq: ++codeSeq,
      key: hmac,
      signer: by,
    });
  const flagged = async () =>
    (
      await ledger.database.db
        .selectFrom('exceptions')
        .select(['message', 'details'])
        .where('store_id', '=', ledger.storeId)
        .where('kind', '=', 'promo-unsigned')
        .orderBy('created_at')
        .orderBy('id')
        .execute()
    ).map((r) => ({ message: r.message, code: JSON.parse(r.details ?? '{}').code }));

  beforeAll(async () => {
    ledger = await startLedger(engine);
    const saved = await ledger.call(
      'PUT',
      `/api/v1/stores/${ledger.storeId}/campaigns/${vip.id}`,
      ADMIN_TOKEN,
      vip,
    );
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    till = await enrolTill(ledger, 'VIP till');
    const pair = promoSigningKeyPair(new Uint8Array(32).fill(7));
    const reg = await ledger.call('POST', '/api/v1/devices/me/promo-key', till.token, {
      publicKey: pair.publicKeyHex,
    });
    expect(reg.status).toBe(200);
    signer = { keyId: reg.body.keyId, secretKeyHex: pair.secretKeyHex };
    const pulled = await ledger.call('GET', '/api/v1/sync/pull', till.token);
    hmac = pulled.body.promoKeys.find((k: PromoKey) => k.kind === 'hmac' && !k.retired);
  });
  afterAll(async () => ledger?.close());

  it('takes a redemption that carries its signed QR, and the till sends the QR as scanned', async () => {
    const { code, qr } = signedCode();
    const res = await push(ledger, till.token, redeemed(code, qr));
    expect(res.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    expect(await flagged()).toEqual([]);
  });

  it('flags a typed code, a QR no registered till signed, and a QR of another code — each once, the sales stand', async () => {
    const typed = signedCode().code;
    const stranger = promoSigningKeyPair(new Uint8Array(32).fill(9));
    const forged = signedCode({ keyId: signer.keyId, secretKeyHex: stranger.secretKeyHex });
    const other = signedCode();
    const victim = signedCode().code;
    const events = [
      ...redeemed(typed),
      ...redeemed(forged.code, forged.qr),
      ...redeemed(victim, other.qr),
    ];
    const res = await push(ledger, till.token, events);
    expect(res.results.every((r) => r.status === 'accepted')).toBe(true);
    // One push's exceptions share a time: compared in any order.
    const byCode = (a: { code: string }, b: { code: string }) => a.code.localeCompare(b.code);
    expect((await flagged()).sort(byCode)).toEqual(
      [
        {
          code: typed,
          message: `Code ${typed} for "VIP night", a signed-QR-only offer, was typed, not scanned from its signed QR`,
        },
        {
          code: forged.code,
          message: `Code ${forged.code} for "VIP night", a signed-QR-only offer, was scanned from a QR whose signature the ledger cannot verify`,
        },
        {
          code: victim,
          message: `Code ${victim} for "VIP night", a signed-QR-only offer, was scanned from a signed QR of another code (${other.code})`,
        },
      ].sort(byCode),
    );
    // Sent again: duplicates, nothing flagged twice.
    const again = await push(ledger, till.token, events);
    expect(again.results.every((r) => r.status === 'duplicate')).toBe(true);
    expect(await flagged()).toHaveLength(3);
  });

  it('refuses a QR text longer than any signed QR, changing nothing', async () => {
    const [sale, redemption] = redeemed(signedCode().code, `PTQ.${'A'.repeat(600)}`);
    const res = await push(ledger, till.token, [sale!, redemption!]);
    expect(res.results.map((r) => r.status)).toEqual(['accepted', 'rejected']);
    expect(res.results[1]!.reason).toMatch(/qr/);
    expect(await flagged()).toHaveLength(3);
  });
});
