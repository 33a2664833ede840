// The drop rules over a whole cart, as a sale commits or a parked cart comes back: access, limit, units left and ladder price of every drop line.
import type { CartLine } from './cart';
import { checkAccess } from './drop-rules';
import { checkDropSale, type DropSellCheck, type DropStock, findLiveDrop } from './drop-sale';
import type { Drop, DropItem } from './drops';
import { formatMoney, type Minor } from './money';

/** What a till knows about drops: pulled from the ledger, plus its own sales the ledger does not have yet. */
export interface DropFacts {
  drops: readonly Drop[];
  /** `${dropId}|${sku}` → units this till holds in escrow, as of the last pull. */
  allotments: ReadonlyMap<string, number>;
  /** `${dropId}|${sku}` → units sold across all tills, as of the last pull. */
  sold: ReadonlyMap<string, number>;
  /** `${dropId}|${sku}` → units in this till's sales the ledger has not stored yet. */
  unsyncedItem: ReadonlyMap<string, number>;
  /** `${dropId}|${memberId}` → units the member bought, at the ledger plus unsynced here. */
  boughtByMember: ReadonlyMap<string, number>;
  /** Shelf price and name of every product in a drop. */
  products: ReadonlyMap<string, { name: string; price: Minor }>;
}

export const itemKey = (dropId: string, sku: string) => `${dropId}|${sku}`;
export const memberKey = (dropId: string, memberId: string) => `${dropId}|${memberId}`;

/** The drop rules' view of an item's stock on this till. */
export function dropStock(facts: DropFacts, drop: Drop, item: DropItem): DropStock {
  const key = itemKey(drop.id, item.sku);
  return {
    quantity: item.quantity,
    soldOverall: facts.sold.get(key) ?? 0,
    unsyncedHere: facts.unsyncedItem.get(key) ?? 0,
    allotment: drop.allotments === 'off' ? null : (facts.allotments.get(key) ?? 0),
  };
}

export interface DropCartInput {
  lines: readonly CartLine[];
  /** The identified customer (null: anonymous). */
  member: { id: string; tiers: readonly string[]; name?: string } | null;
  now: Date;
  /** For times and prices in messages. */
  timeZone: string;
  currency: string;
  locale?: string;
}

export type DropCartCode =
  | Extract<DropSellCheck, { ok: false }>['code']
  | 'drop-details-missing'
  | 'drop-unknown'
  | 'price-changed';

export type DropCartCheck =
  | { ok: true }
  | { ok: false; code: DropCartCode; sku: string; message: string };

const unitsOf = (lines: readonly CartLine[]) => lines.reduce((n, l) => n + l.qty, 0);

/** A drop SKU on a line without drop details: the guard would have priced it, so it must not sell at shelf price. */
function checkPlainLine(facts: DropFacts, line: CartLine, input: DropCartInput): DropCartCheck {
  const found = findLiveDrop(facts.drops, line.sku, input.now);
  if (!found) return { ok: true };
  const { drop } = found;
  const access = checkAccess(drop, input.member?.tiers ?? [], input.now, input.timeZone);
  const message = access.ok
    ? `${line.name} is selling in ${drop.name} now and must be sold under its rules: take it out and add it again.`
    : `${line.name} is held for ${drop.name}. ${access.message}`;
  return { ok: false, code: 'drop-details-missing', sku: line.sku, message };
}

/** The units' (step, price) one by one, cheapest steps first, as the cart lines or the ladder say. */
function unitSteps(parts: readonly { step: number; price: Minor; qty: number }[]) {
  return [...parts]
    .sort((a, b) => a.step - b.step)
    .flatMap((p) => Array.from({ length: p.qty }, () => ({ step: p.step, price: p.price })));
}

/** Each unit's price against the ladder now; the first unit that differs names both prices. */
function checkLadder(
  lines: readonly CartLine[],
  expected: readonly { step: number; label: string; price: Minor; qty: number }[],
  input: DropCartInput,
): DropCartCheck {
  const have = unitSteps(
    lines.map((l) => ({ step: l.drop?.step ?? -1, price: l.unitPrice, qty: l.qty })),
  );
  const want = unitSteps(expected);
  const i = want.findIndex((w, j) => w.step !== have[j]?.step || w.price !== have[j]?.price);
  if (i < 0) return { ok: true };
  const line = lines[0]!;
  const money = (m: Minor) => formatMoney(m, input.currency, input.locale);
  const now = want[i]!;
  const was = have[i]!;
  const label = expected.find((e) => e.step === now.step)?.label;
  const step = label && now.step >= 0 ? ` (${label})` : '';
  return {
    ok: false,
    code: 'price-changed',
    sku: line.sku,
    message:
      now.price === was.price
        ? `${line.name} now sells at another price step${step}: update the prices before paying.`
        : `The price of ${line.name} is now ${money(now.price)}${step}, not ${money(was.price)}: update the prices before paying.`,
  };
}

/**
 * Would the drop rules let this cart be sold now, to this customer, from this till? Each drop
 * item is judged as a whole with `checkDropSale` (the check the cart runs per add), its units
 * priced from the ladder as it stands now; the cart's own units count towards the member's limit.
 */
export function checkDropCart(facts: DropFacts, input: DropCartInput): DropCartCheck {
  for (const line of input.lines) {
    if (line.drop) continue;
    const plain = checkPlainLine(facts, line, input);
    if (!plain.ok) return plain;
  }
  const groups = new Map<string, CartLine[]>();
  for (const line of input.lines) {
    if (!line.drop) continue;
    const key = itemKey(line.drop.dropId, line.sku);
    groups.set(key, [...(groups.get(key) ?? []), line]);
  }
  for (const lines of groups.values()) {
    const first = lines[0]!;
    const dropId = first.drop!.dropId;
    const drop = facts.drops.find((d) => d.id === dropId);
    const item = drop?.items.find((i) => i.sku === first.sku);
    if (!drop || !item) {
      return {
        ok: false,
        code: 'drop-unknown',
        sku: first.sku,
        message: `${first.name} was added from a drop this till no longer sells it in: take it out and add it again.`,
      };
    }
    const qty = unitsOf(lines);
    const inDrop = unitsOf(input.lines.filter((l) => l.drop?.dropId === drop.id));
    const who = input.member;
    const checked = checkDropSale({
      drop,
      item,
      shelfPrice: facts.products.get(item.sku)?.price ?? first.unitPrice,
      now: input.now,
      member: who,
      stock: dropStock(facts, drop, item),
      inCartItem: 0,
      inCartDrop: inDrop - qty,
      boughtByMember: who ? (facts.boughtByMember.get(memberKey(drop.id, who.id)) ?? 0) : 0,
      qty,
      timeZone: input.timeZone,
    });
    if (!checked.ok)
      return { ok: false, code: checked.code, sku: first.sku, message: checked.message };
    const ladder = checkLadder(lines, checked.units, input);
    if (!ladder.ok) return ladder;
  }
  return { ok: true };
}
