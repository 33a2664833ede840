// Credit-note codes: issued offline with the promo-code machinery (till number + sequence + keyed tag), plus a signed QR carrying the face value.
import { ed25519 } from '@noble/curves/ed25519.js';
import { hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { amountSchema, currencySchema, type Minor } from '../money';
import type { PromoKey } from '../promo';
import {
  campaignTag,
  type HmacKey,
  issueCode,
  parseCode,
  type SigningKey,
  tagMatches,
} from '../promo-code';

/**
 * The fixed pseudo-campaign every credit note is issued under: its codes read CR-XXXX-…, and the
 * keyed tag is made over this id, so a promo code can never pass for a credit note.
 */
export const STORE_CREDIT_CAMPAIGN = { id: 'store-credit', prefix: 'CR' } as const;
export const CREDIT_QR_PREFIX = 'PTCR1';

export interface IssueCreditInput {
  deviceNo: number;
  /** The till's own code sequence (shared with its promo codes: never reused). */
  seq: number;
  /** The store's current MAC key, or the till's own when it has none (standalone). */
  key: Pick<HmacKey, 'secret'>;
  /** The till's Ed25519 key, which signs the QR form. */
  signer: SigningKey;
  amount: Minor;
  currency: string;
}

function bytesToBase64url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function base64urlToBytes(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/**
 * A credit note's typed code and its QR text: PTCR1.<code>.<amount>.<currency>.<key id>.<signature>.
 * The signature covers the face value, so another till trusts the amount offline.
 */
export function issueCreditNote(input: IssueCreditInput): { code: string; qr: string } {
  const amount = amountSchema.positive().parse(input.amount);
  const currency = currencySchema.parse(input.currency);
  const code = issueCode({ campaign: STORE_CREDIT_CAMPAIGN, ...input });
  const body = `${CREDIT_QR_PREFIX}.${code}.${amount}.${currency}.${input.signer.keyId}`;
  const sig = ed25519.sign(utf8ToBytes(body), hexToBytes(input.signer.secretKeyHex));
  return { code, qr: `${body}.${bytesToBase64url(sig)}` };
}

export type CreditReadFailure = 'typo' | 'unknown' | 'tampered';

export type CreditRead =
  | {
      ok: true;
      /** The canonical typed code (what balances and spends are kept by). */
      code: string;
      deviceNo: number;
      seq: number;
      /** Set for a QR whose signature checked: the amount and currency it was issued for. */
      face: { amount: Minor; currency: string } | null;
      /** Whether the keyed tag checked against one of the keys given. */
      tagValid: boolean;
    }
  | { ok: false; code: CreditReadFailure; message: string };

const MESSAGES: Record<CreditReadFailure, string> = {
  typo: 'This credit note code has a typo — check the characters.',
  unknown: "That isn't a credit note code — they look like CR-7K3M-Q9XT-4H2B-C1R0.",
  tampered: "This credit note isn't one this store issued — it may have been altered.",
};

const fail = (code: CreditReadFailure): CreditRead => ({
  ok: false,
  code,
  message: MESSAGES[code],
});

const qrFaceSchema = z.object({
  amount: z.coerce.number().pipe(amountSchema.positive()),
  currency: currencySchema,
});

/**
 * Read a typed credit-note code or its scanned QR offline: the check symbol, the signature of a
 * QR (by a till key among `keys`) and the keyed tag against the MAC keys among `keys`. A typed
 * code whose tag no key checks is reported with `tagValid: false`: the caller decides whether a
 * balance the ledger vouches for is enough.
 */
export function readCreditNote(text: string, keys: readonly PromoKey[]): CreditRead {
  let typed = text.trim();
  let face: { amount: Minor; currency: string } | null = null;
  if (typed.toUpperCase().startsWith(`${CREDIT_QR_PREFIX}.`)) {
    const parts = typed.split('.');
    if (parts.length !== 6) return fail('tampered');
    const [, code, amountText, currencyText, keyId, sigText] = parts as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    // A revoked till's key (a stolen till) vouches for no face value.
    const key = keys.find(
      (k): k is Extract<PromoKey, { kind: 'ed25519' }> =>
        k.kind === 'ed25519' && k.id === keyId && !k.revoked,
    );
    const parsedFace = qrFaceSchema.safeParse({ amount: amountText, currency: currencyText });
    if (!key || !parsedFace.success) return fail('tampered');
    let valid = false;
    try {
      const sig = base64urlToBytes(sigText);
      valid =
        sig.length === 64 &&
        ed25519.verify(sig, utf8ToBytes(parts.slice(0, 5).join('.')), hexToBytes(key.publicKey));
    } catch {
      valid = false; // a mangled signature is simply not a valid signature
    }
    if (!valid) return fail('tampered');
    typed = code;
    face = parsedFace.data;
  }
  const parsed = parseCode(typed);
  if (!parsed.ok) return fail(parsed.code === 'typo' ? 'typo' : 'unknown');
  if (parsed.prefix !== STORE_CREDIT_CAMPAIGN.prefix) return fail('unknown');
  if (parsed.campaignTag !== campaignTag(STORE_CREDIT_CAMPAIGN.id)) return fail('tampered');
  return {
    ok: true,
    code: parsed.code,
    deviceNo: parsed.deviceNo,
    seq: parsed.seq,
    face,
    tagValid: tagMatches(parsed, STORE_CREDIT_CAMPAIGN.id, keys),
  };
}
