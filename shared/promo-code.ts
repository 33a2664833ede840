// Promo code format: typed codes (Crockford base32, mod-37 check, keyed tag) and signed QR codes, issued and checked offline.
//
// Why two mechanisms:
// - A typed code must stay short enough to read out on a live stream and type at a till,
//   so it carries a truncated HMAC-SHA256 tag (37 bits) made with a per-store key that
//   every till pulls. A signature would need 64 bytes (~103 characters): untypeable.
//   37 bits means a guesser needs ~10^11 tries per hit, and the mod-37 check symbol
//   turns typos into "typo" before the tag is even looked at. The cost: any till holding
//   the store key could mint codes, so keys rotate (retired keys keep verifying).
// - A QR code has room, so it also carries an Ed25519 signature by the issuing till's own
//   key (its public key reaches every till in the pull) over the code, the signing key id
//   and a hash of the campaign's terms. A copied store key alone cannot forge it, a revoked
//   till's key stops verifying, and a QR whose campaign terms have since changed is refused.
//
// Payload (75 bits = 15 base32 characters, then 1 check symbol), high bits first:
//   tag (37) | campaign tag (8) | device number (10) | device sequence (20)
// The device number (T3 → 3; 0 is the ledger itself) and the device's own sequence are
// inside, so two tills never issue the same code without talking to each other.
import { ed25519 } from '@noble/curves/ed25519.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { type Campaign, campaignWindow, type PromoKey } from './promo';

export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Crockford's check symbols: the 32 digits, then values 32–36. */
const CHECK_SYMBOLS = `${CROCKFORD}*~$=U`;
const DATA_CHARS = 15;
const TAG_BITS = 37n;
const CAMPAIGN_BITS = 8n;
const DEVICE_BITS = 10n;
const SEQ_BITS = 20n;
export const MAX_DEVICE_NO = 2 ** Number(DEVICE_BITS) - 1;
export const MAX_CODE_SEQ = 2 ** Number(SEQ_BITS) - 1;
/** The device number the ledger uses for codes it issues itself (batches for creators). */
export const LEDGER_DEVICE_NO = 0;
export const QR_PREFIX = 'PTQR1';

export type HmacKey = Extract<PromoKey, { kind: 'hmac' }>;
export type SigningKey = { keyId: string; secretKeyHex: string };

/** A till's device number from its receipt prefix (T1 → 1), or null if it has none. */
export function deviceNoFromPrefix(prefix: string): number | null {
  const m = /^T(\d{1,4})$/.exec(prefix);
  const n = m ? Number(m[1]) : Number.NaN;
  return Number.isInteger(n) && n >= 1 && n <= MAX_DEVICE_NO ? n : null;
}

/**
 * A character's value for the check: its Crockford value, reading I/L as 1 and O as 0 in the
 * prefix too (so a prefix letter swapped into the data keeps its value), and U as 36.
 * Every value is under 37, so any one changed character or swapped neighbour changes the sum.
 */
function charValue(ch: string): number {
  return ch === 'U' ? 36 : CROCKFORD.indexOf(normaliseDigit(ch));
}

function normaliseDigit(ch: string): string {
  return ch === 'O' ? '0' : ch === 'I' || ch === 'L' ? '1' : ch;
}

/** A prefix as the check sees it: MAIL and MA1L and MALL are the same to a reader. */
export function prefixKey(prefix: string): string {
  return [...prefix.toUpperCase()].map(normaliseDigit).join('');
}

/** The mod-37 check symbol over the prefix letters and the data characters. */
export function checkSymbol(prefix: string, data: string): string {
  let r = 0;
  for (const ch of prefix + data) r = (r * 32 + charValue(ch)) % 37;
  return CHECK_SYMBOLS[r]!;
}

function base64urlToBytes(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

function bytesToBase64url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** An 8-bit campaign tag: narrows which campaigns a code can belong to before the MAC decides. */
export function campaignTag(campaignId: string): number {
  return sha256(utf8ToBytes(campaignId))[0]!;
}

function macTag(secret: string, campaignId: string, deviceNo: number, seq: number): bigint {
  const mac = hmac(
    sha256,
    base64urlToBytes(secret),
    utf8ToBytes(`poptill-promo-v1|${campaignId}|${deviceNo}|${seq}`),
  );
  let v = 0n;
  for (let i = 0; i < 5; i++) v = (v << 8n) | BigInt(mac[i]!);
  return v >> (40n - TAG_BITS);
}

function groups(text: string): string {
  return text.match(/.{1,4}/g)!.join('-');
}

export interface IssueCodeInput {
  campaign: Pick<Campaign, 'id' | 'prefix'>;
  deviceNo: number;
  /** The device's own code sequence: 1, 2, 3… (never reused). */
  seq: number;
  /** The store's current (not retired) MAC key. */
  key: Pick<HmacKey, 'secret'>;
}

/** Make a typed code such as MAYA-7K3M-Q9XT-4H2B-C1R$. Throws RangeError on out-of-range numbers. */
export function issueCode({ campaign, deviceNo, seq, key }: IssueCodeInput): string {
  if (!Number.isInteger(deviceNo) || deviceNo < 0 || deviceNo > MAX_DEVICE_NO) {
    throw new RangeError(`device number must be 0–${MAX_DEVICE_NO}`);
  }
  if (!Number.isInteger(seq) || seq < 1 || seq > MAX_CODE_SEQ) {
    throw new RangeError(`code sequence must be 1–${MAX_CODE_SEQ}`);
  }
  let v = macTag(key.secret, campaign.id, deviceNo, seq);
  v = (v << CAMPAIGN_BITS) | BigInt(campaignTag(campaign.id));
  v = (v << DEVICE_BITS) | BigInt(deviceNo);
  v = (v << SEQ_BITS) | BigInt(seq);
  let data = '';
  for (let i = 0; i < DATA_CHARS; i++) {
    data = CROCKFORD[Number(v & 31n)]! + data;
    v >>= 5n;
  }
  return `${campaign.prefix}-${groups(data + checkSymbol(campaign.prefix, data))}`;
}

export type ParsedCode =
  | {
      ok: true;
      code: string;
      prefix: string;
      tag: bigint;
      campaignTag: number;
      deviceNo: number;
      seq: number;
    }
  | { ok: false; code: 'malformed' | 'typo' };

/**
 * Read a typed code: case-insensitive, spaces and hyphens anywhere, O read as 0 and I/L as 1
 * in the characters after the prefix. Checks the check symbol, not the tag.
 */
export function parseCode(text: string): ParsedCode {
  const flat = text.toUpperCase().replace(/[\s-]+/g, '');
  if (flat.length < DATA_CHARS + 1 + 2 || flat.length > DATA_CHARS + 1 + 6)
    return { ok: false, code: 'malformed' };
  const prefix = flat.slice(0, flat.length - DATA_CHARS - 1);
  const data = [...flat.slice(prefix.length, prefix.length + DATA_CHARS)]
    .map(normaliseDigit)
    .join('');
  const check = normaliseDigit(flat.slice(-1));
  if (!/^[A-Z]+$/.test(prefix) || [...data].some((c) => !CROCKFORD.includes(c))) {
    // Right length but a character that cannot be there: almost always a slip of the finger.
    return { ok: false, code: 'typo' };
  }
  if (check !== checkSymbol(prefix, data)) return { ok: false, code: 'typo' };
  let v = 0n;
  for (const ch of data) v = (v << 5n) | BigInt(CROCKFORD.indexOf(ch));
  const seq = Number(v & ((1n << SEQ_BITS) - 1n));
  v >>= SEQ_BITS;
  const deviceNo = Number(v & ((1n << DEVICE_BITS) - 1n));
  v >>= DEVICE_BITS;
  const tagOfCampaign = Number(v & ((1n << CAMPAIGN_BITS) - 1n));
  v >>= CAMPAIGN_BITS;
  return {
    ok: true,
    code: `${prefix}-${groups(data + check)}`,
    prefix,
    tag: v,
    campaignTag: tagOfCampaign,
    deviceNo,
    seq,
  };
}

/** Whether a parsed code's tag was made for this campaign with one of these keys. */
export function tagMatches(
  parsed: Extract<ParsedCode, { ok: true }>,
  campaignId: string,
  keys: readonly PromoKey[],
): boolean {
  if (parsed.campaignTag !== campaignTag(campaignId)) return false;
  return keys.some(
    (k) =>
      k.kind === 'hmac' &&
      !k.revoked &&
      macTag(k.secret, campaignId, parsed.deviceNo, parsed.seq) === parsed.tag,
  );
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Hash (base64url, 128 bits) of what a customer was promised: offer, scope, audience and window. */
export function campaignTermsHash(
  campaign: Pick<Campaign, 'id' | 'offer' | 'scope' | 'audience' | 'startsAt' | 'endsAt'>,
): string {
  const { id, offer, scope, audience, startsAt, endsAt } = campaign;
  const digest = sha256(utf8ToBytes(canonical({ id, offer, scope, audience, startsAt, endsAt })));
  return bytesToBase64url(digest.slice(0, 16));
}

/** A new Ed25519 key pair for a till from 32 random bytes (the caller owns the randomness). */
export function promoSigningKeyPair(seed: Uint8Array): {
  secretKeyHex: string;
  publicKeyHex: string;
} {
  const { secretKey, publicKey } = ed25519.keygen(seed);
  return { secretKeyHex: bytesToHex(secretKey), publicKeyHex: bytesToHex(publicKey) };
}

export interface IssueQrInput extends IssueCodeInput {
  campaign: Pick<
    Campaign,
    'id' | 'prefix' | 'offer' | 'scope' | 'audience' | 'startsAt' | 'endsAt'
  >;
  signer: SigningKey;
}

/** A typed code plus its QR text: PTQR1.<code>.<key id>.<terms hash>.<signature>. */
export function issueQr(input: IssueQrInput): { code: string; qr: string } {
  const code = issueCode(input);
  const body = `${QR_PREFIX}.${code}.${input.signer.keyId}.${campaignTermsHash(input.campaign)}`;
  const sig = ed25519.sign(utf8ToBytes(body), hexToBytes(input.signer.secretKeyHex));
  return { code, qr: `${body}.${bytesToBase64url(sig)}` };
}

export type ParsedQr =
  | {
      ok: true;
      code: string;
      keyId: string;
      termsHash: string;
      signedBy: PromoKey & { kind: 'ed25519' };
    }
  | { ok: false; code: 'malformed' | 'forged' | 'revoked-key' };

/** Check a QR's signature against the tills' public keys (not yet the code inside or its campaign). */
export function checkQr(text: string, keys: readonly PromoKey[]): ParsedQr {
  const parts = text.trim().split('.');
  if (parts.length !== 5 || parts[0] !== QR_PREFIX) return { ok: false, code: 'malformed' };
  const [, code, keyId, termsHash, sigText] = parts as [string, string, string, string, string];
  const key = keys.find(
    (k): k is PromoKey & { kind: 'ed25519' } => k.kind === 'ed25519' && k.id === keyId,
  );
  if (!key) return { ok: false, code: 'forged' };
  if (key.revoked) return { ok: false, code: 'revoked-key' };
  let valid = false;
  try {
    const sig = base64urlToBytes(sigText);
    valid =
      sig.length === 64 &&
      ed25519.verify(sig, utf8ToBytes(parts.slice(0, 4).join('.')), hexToBytes(key.publicKey));
  } catch {
    valid = false; // a mangled signature or key is simply not a valid signature
  }
  return valid
    ? { ok: true, code, keyId, termsHash, signedBy: key }
    : { ok: false, code: 'forged' };
}

export type VerifyFailure =
  | 'malformed'
  | 'typo'
  | 'forged'
  | 'unknown-campaign'
  | 'terms-changed'
  | 'expired'
  | 'not-yet-valid'
  | 'paused'
  /** Made with a key the store has withdrawn. */
  | 'revoked-key'
  /** Typed, for a campaign that takes only its signed QR. */
  | 'signed-only';

export type CodeVerification =
  | {
      ok: true;
      /** The code in its canonical printed form (what usage is counted by). */
      code: string;
      campaign: Campaign;
      via: 'typed' | 'qr';
      deviceNo: number;
      seq: number;
    }
  | { ok: false; code: VerifyFailure; message: string };

export interface VerifyOptions {
  keys: readonly PromoKey[];
  campaigns: readonly Campaign[];
  now: Date;
  /** For the dates in messages; the store's zone. */
  timeZone?: string;
}

const MESSAGES: Record<Exclude<VerifyFailure, 'expired' | 'not-yet-valid'>, string> = {
  malformed: "That doesn't look like a promo code — codes look like MAYA-7K3M-Q9XT-4H2B-C1R0.",
  typo: 'This code has a typo — check the characters.',
  forged: "This code isn't one we issued — it may have been altered.",
  'unknown-campaign': "This till doesn't know that campaign — sync, then try again.",
  'terms-changed': "This code's offer has changed since it was printed — ask a manager.",
  paused: 'This campaign is paused.',
  'revoked-key':
    'This code was made with a key the store has withdrawn — it is no longer valid. Ask a manager.',
  'signed-only':
    "This offer takes its QR code only — scan the customer's coupon or phone instead of typing the code.",
};

function fail(code: Exclude<VerifyFailure, 'expired' | 'not-yet-valid'>): CodeVerification {
  return { ok: false, code, message: MESSAGES[code] };
}

/**
 * Check a typed code or a scanned QR offline: the check symbol, the keyed tag (and for a QR
 * the till's signature and the campaign terms), then the campaign's state and window.
 */
export function verifyCode(text: string, opts: VerifyOptions): CodeVerification {
  let typed = text;
  let qr: Extract<ParsedQr, { ok: true }> | null = null;
  if (text.trim().toUpperCase().startsWith(`${QR_PREFIX}.`)) {
    const checked = checkQr(text, opts.keys);
    if (!checked.ok) return fail(checked.code);
    qr = checked;
    typed = checked.code;
  }
  const parsed = parseCode(typed);
  if (!parsed.ok) return fail(parsed.code);
  const named = opts.campaigns.filter((c) => prefixKey(c.prefix) === prefixKey(parsed.prefix));
  if (named.length === 0) return fail('unknown-campaign');
  // The check reads I/L as 1: MALL typed for MAIL gets here, and is a typo.
  const exact = named.filter((c) => c.prefix === parsed.prefix);
  if (exact.length === 0) return fail('typo');
  const campaign = exact.find((c) => tagMatches(parsed, c.id, opts.keys));
  if (!campaign) {
    // Made by a withdrawn key, or by nobody: the till says which.
    const withdrawn = opts.keys.flatMap((k) =>
      k.kind === 'hmac' && k.revoked ? [{ ...k, revoked: false }] : [],
    );
    return fail(exact.some((c) => tagMatches(parsed, c.id, withdrawn)) ? 'revoked-key' : 'forged');
  }
  if (campaign.signedOnly && !qr) return fail('signed-only');
  if (qr && qr.termsHash !== campaignTermsHash(campaign)) return fail('terms-changed');
  const window = campaignWindow(campaign, opts.now, opts.timeZone);
  if (!window.ok) return window;
  return {
    ok: true,
    code: parsed.code,
    campaign,
    via: qr ? 'qr' : 'typed',
    deviceNo: parsed.deviceNo,
    seq: parsed.seq,
  };
}
