// Store credit on the till: issuing credit notes offline, checking a code's balance, and recording what a sale spent of one.
import { formatMoney, type Minor } from '../../shared/money';
import type { PromoKey } from '../../shared/promo';
import { deviceNoFromPrefix, type HmacKey, promoSigningKeyPair } from '../../shared/promo-code';
import { creditLeft } from '../../shared/returns/credit-note';
import { issueCreditNote, readCreditNote } from '../../shared/returns/credit-note-code';
import type { Tender } from '../../shared/tender';
import { getSetting, type PosDb, type PromoDeviceSettings } from './db';
import { promoKeyId, promoSigner } from './promo-repo';

export type CreditCheck =
  | { ok: true; code: string; balance: Minor; currency: string }
  | {
      ok: false;
      code: 'typo' | 'unknown' | 'tampered' | 'spent' | 'currency';
      message: string;
    };

/** A credit note as printed: the typed code, its signed QR form and its face value. */
export interface IssuedCreditNote {
  code: string;
  qr: string;
  amount: Minor;
}

/** Tables `checkCreditNoteIn` reads and `recordCreditSpends` writes. */
export const creditTables = (db: PosDb) => [
  db.settings,
  db.promoKeys,
  db.outbox,
  db.creditNotes,
  db.creditIssued,
  db.creditSpends,
];

/** Tables `issueCreditNoteIn` reads or writes. */
export const creditIssueTables = (db: PosDb) => [db.settings, db.promoKeys, db.creditIssued];

/** The till's own MAC key as a promo key, for codes it issued while it had no store key. */
function localKey(secret: string | undefined): PromoKey[] {
  return secret ? [{ kind: 'hmac', id: 'this-till', secret, retired: false }] : [];
}

/** Every key a credit note may be checked with here: the store's, this till's own MAC and signing keys. */
async function creditKeys(db: PosDb): Promise<PromoKey[]> {
  const keys = await db.promoKeys.toArray();
  const promo = await getSetting(db, 'promo');
  const device = await getSetting(db, 'device');
  if (!promo) return keys;
  const own: PromoKey = {
    kind: 'ed25519',
    id: promoKeyId(promo.publicKey),
    deviceId: device?.deviceId ?? 'this-till',
    publicKey: promo.publicKey,
  };
  return [...keys, ...localKey(promo.localCreditKey), own];
}

/** This till's promo settings as `ensurePromoDevice` makes them: a fresh Ed25519 key, code sequence 0. */
function newPromoDevice(): PromoDeviceSettings {
  const pair = promoSigningKeyPair(crypto.getRandomValues(new Uint8Array(32)));
  return {
    codeSeq: 0,
    privateKey: pair.secretKeyHex,
    publicKey: pair.publicKeyHex,
    registeredAt: null,
  };
}

function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Why this till cannot issue a credit note, or null when it can. Reads only. */
export async function creditIssueBlocker(db: PosDb): Promise<string | null> {
  const device = await getSetting(db, 'device');
  if (deviceNoFromPrefix(device?.prefix ?? '') === null) {
    return 'This till has no till number (receipt prefix T1, T2…): it cannot issue store credit.';
  }
  return null;
}

/**
 * Issue a credit note inside the caller's transaction (check `creditIssueBlocker` first): the
 * next code of this till's sequence, tagged with the store's MAC key and signed with the till's
 * key. The keys are made here on first need, so a refused return leaves no trace. A till with no
 * store MAC key (standalone, or before its first pull) makes a MAC key of its own: codes tagged
 * with it check by their tag on this till only; elsewhere their signed QR form vouches for them,
 * and once synced the ledger's balance does.
 */
export async function issueCreditNoteIn(
  db: PosDb,
  input: { amount: Minor; currency: string; returnId: string },
  now: Date,
): Promise<IssuedCreditNote> {
  const device = await getSetting(db, 'device');
  const deviceNo = deviceNoFromPrefix(device?.prefix ?? '');
  if (deviceNo === null)
    throw new Error('This till has no till number: it cannot issue store credit.');
  const storeKey = (await db.promoKeys.toArray()).find(
    (k): k is HmacKey => k.kind === 'hmac' && !k.retired,
  );
  let promo = (await getSetting(db, 'promo')) ?? newPromoDevice();
  if (!storeKey && !promo.localCreditKey) promo = { ...promo, localCreditKey: randomSecret() };
  const secret = storeKey?.secret ?? promo.localCreditKey!;
  const seq = promo.codeSeq + 1;
  const { code, qr } = issueCreditNote({
    deviceNo,
    seq,
    key: { secret },
    signer: promoSigner(promo),
    amount: input.amount,
    currency: input.currency,
  });
  await db.settings.put({ key: 'promo', value: { ...promo, codeSeq: seq } });
  await db.creditIssued.add({
    code,
    qr,
    amount: input.amount,
    currency: input.currency,
    returnId: input.returnId,
    issuedAt: now.toISOString(),
  });
  return { code, qr, amount: input.amount };
}

/**
 * What this till spent of a note that the ledger's balance does not count yet: spends whose sale
 * is still queued, or that happened since the last pull. With `all`, every spend here counts
 * (for a note the ledger has not told this till about).
 */
async function spentHere(db: PosDb, code: string, all: boolean): Promise<Minor> {
  const spends = await db.creditSpends.where('code').equals(code).toArray();
  if (all) return spends.reduce((n, s) => n + s.amount, 0);
  const queued = await db.outbox
    .where('eventId')
    .anyOf(spends.map((s) => s.saleId))
    .toArray();
  const queuedSales = new Set(queued.map((row) => row.eventId));
  const lastPull = (await getSetting(db, 'sync'))?.lastSuccessAt ?? '';
  return spends
    .filter((s) => queuedSales.has(s.saleId) || s.createdAt >= lastPull)
    .reduce((n, s) => n + s.amount, 0);
}

/**
 * A note issued here that the ledger has received and yet left out of a later pull: the pull lists
 * every note with something left (and those spent lately), so it has been spent in full.
 */
async function leftTheLedgerList(db: PosDb, issued: { returnId: string; issuedAt: string }) {
  if ((await getSetting(db, 'mode')) !== 'ledger') return false;
  const lastPull = (await getSetting(db, 'sync'))?.lastSuccessAt ?? '';
  if (lastPull <= issued.issuedAt) return false;
  return (await db.outbox.where('eventId').equals(issued.returnId).count()) === 0;
}

/** `checkCreditNote` for use inside a transaction over `creditTables`. */
export async function checkCreditNoteIn(db: PosDb, text: string): Promise<CreditCheck> {
  const read = readCreditNote(text, await creditKeys(db));
  if (!read.ok) return read;
  const pulled = await db.creditNotes.get(read.code);
  const issued = await db.creditIssued.get(read.code);
  let currency: string;
  let balance: Minor;
  if (pulled) {
    currency = pulled.currency;
    balance = creditLeft(pulled) - (await spentHere(db, read.code, false));
  } else if (issued && (await leftTheLedgerList(db, issued))) {
    return {
      ok: false,
      code: 'spent',
      message: `Credit note ${read.code} has been spent in full (the ledger no longer lists it).`,
    };
  } else if (issued || read.face) {
    const face = issued ?? read.face!;
    currency = face.currency;
    balance = face.amount - (await spentHere(db, read.code, true));
  } else if (read.tagValid) {
    return {
      ok: false,
      code: 'unknown',
      message:
        'This credit note was issued at another till and has not reached this one yet: scan its QR code, or sync and try again.',
    };
  } else {
    return {
      ok: false,
      code: 'tampered',
      message: "This credit note isn't one this store issued — it may have been altered.",
    };
  }
  const store = await getSetting(db, 'store');
  if (store && store.currency !== currency) {
    return {
      ok: false,
      code: 'currency',
      message: `This credit note is in ${currency}; this till sells in ${store.currency}.`,
    };
  }
  if (balance <= 0) {
    return {
      ok: false,
      code: 'spent',
      message: `Credit note ${read.code} has been spent in full.`,
    };
  }
  return { ok: true, code: read.code, balance, currency };
}

/**
 * A typed credit-note code or its scanned QR, checked offline (check symbol, keyed tag, QR
 * signature). The balance is the ledger's from the last pull (or the face value of a QR or of a
 * note issued here) less what this till spent of it since. `ok.code` is the canonical code to put
 * on a `store-credit` tender.
 */
export async function checkCreditNote(db: PosDb, text: string): Promise<CreditCheck> {
  // An async scope: Dexie commits early when a plain function hands it a native promise.
  return db.transaction('r', creditTables(db), async () => checkCreditNoteIn(db, text));
}

export type CreditTenderCheck =
  | { ok: true; tenders: Tender[] }
  | { ok: false; code: 'credit-refused'; message: string };

/**
 * The store-credit tenders of a sale checked again at commit (inside a transaction over
 * `creditTables`): each note verified, in the store's currency, with a balance covering every
 * tender on it. Answers the tenders with each note's canonical code.
 */
export async function checkCreditTenders(
  db: PosDb,
  tenders: readonly Tender[],
): Promise<CreditTenderCheck> {
  const wanted = new Map<string, { balance: Minor; amount: Minor }>();
  const out: Tender[] = [];
  for (const t of tenders) {
    if (t.kind !== 'store-credit') {
      out.push(t);
      continue;
    }
    const check = await checkCreditNoteIn(db, t.code);
    if (!check.ok) return { ok: false, code: 'credit-refused', message: check.message };
    const seen = wanted.get(check.code) ?? { balance: check.balance, amount: 0 };
    seen.amount += t.amount;
    wanted.set(check.code, seen);
    out.push({ ...t, code: check.code });
  }
  for (const [code, { balance, amount }] of wanted) {
    if (amount > balance) {
      const currency = (await getSetting(db, 'store'))?.currency ?? 'EUR';
      const money = (m: Minor) => formatMoney(m, currency);
      return {
        ok: false,
        code: 'credit-refused',
        message: `Credit note ${code} has only ${money(balance)} left: the sale takes ${money(amount)} of it.`,
      };
    }
  }
  return { ok: true, tenders: out };
}

/** Record a sale's store-credit tenders as spends here (inside the sale's transaction). */
export async function recordCreditSpends(
  db: PosDb,
  sale: { id: string; createdAt: string; tenders: readonly Tender[] },
): Promise<void> {
  const rows = sale.tenders.flatMap((t, i) =>
    t.kind === 'store-credit'
      ? [
          {
            id: `${sale.id}:${i}`,
            code: t.code,
            amount: t.amount,
            saleId: sale.id,
            createdAt: sale.createdAt,
          },
        ]
      : [],
  );
  if (rows.length > 0) await db.creditSpends.bulkAdd(rows);
}
