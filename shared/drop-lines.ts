// A drop item's cart lines: units priced by the ladder join or replace the item's lines, one line per step (pure; line ids passed in).
import type { CartLine } from './cart';
import type { Product } from './catalog';

/** What the cart knows of a product it adds. */
export type CartProduct = Pick<Product, 'sku' | 'name' | 'price' | 'taxClassId'>;

/** One ladder step's worth of units of a drop item, as the drop rules priced them. */
export interface DropUnits {
  dropId: string;
  tier: string;
  step: number;
  price: number;
  fastFulfilment: boolean;
  qty: number;
}

/** A line selling `sku` from a drop (not at shelf price). */
export const isDropLineOf = (l: CartLine, sku: string) => l.sku === sku && l.drop !== undefined;

function dropLine(product: CartProduct, u: DropUnits, lineId: string): CartLine {
  return {
    lineId,
    sku: product.sku,
    name: product.name,
    unitPrice: u.price,
    qty: u.qty,
    taxClassId: product.taxClassId,
    drop: { dropId: u.dropId, step: u.step, tier: u.tier, fastFulfilment: u.fastFulfilment },
  };
}

/**
 * `units` added to the cart: each ladder step's units join an undiscounted line of the same
 * drop and step, else start a new line after the item's other lines. Lines of different
 * steps are never merged, so a step that ends mid-cart shows as two lines.
 */
export function addDropUnits(
  lines: readonly CartLine[],
  product: CartProduct,
  units: readonly DropUnits[],
  newLineId: () => string,
): { lines: CartLine[]; active: string | null } {
  let out = [...lines];
  let active: string | null = null;
  for (const u of units.filter((x) => x.qty > 0)) {
    const same = out.find(
      (l) =>
        l.sku === product.sku &&
        l.drop?.dropId === u.dropId &&
        l.drop.step === u.step &&
        !l.discount,
    );
    if (same) {
      out = out.map((l) => (l === same ? { ...l, qty: l.qty + u.qty } : l));
      active = same.lineId;
      continue;
    }
    const line = dropLine(product, u, newLineId());
    const last = out.findLastIndex((l) => isDropLineOf(l, product.sku));
    out = last < 0 ? [...out, line] : [...out.slice(0, last + 1), line, ...out.slice(last + 1)];
    active = line.lineId;
  }
  return { lines: out, active };
}

/** The item's drop lines replaced by `units` (re-priced as a whole), where the first of them stood. */
export function replaceDropUnits(
  lines: readonly CartLine[],
  product: CartProduct,
  units: readonly DropUnits[],
  newLineId: () => string,
): CartLine[] {
  const at = lines.findIndex((l) => isDropLineOf(l, product.sku));
  const old = lines.filter((l) => isDropLineOf(l, product.sku));
  const rest = lines.filter((l) => !isDropLineOf(l, product.sku));
  const live = units.filter((u) => u.qty > 0);
  const used = new Set<string>();
  const fresh = live.map((u, i) => {
    // The line of the same step, else (a step that moved on) the line standing where this one will.
    const reuse =
      old.find(
        (l) => !used.has(l.lineId) && l.drop?.dropId === u.dropId && l.drop.step === u.step,
      ) ??
      old.find(
        (l, j) => j === i && !used.has(l.lineId) && !live.some((v) => v.step === l.drop?.step),
      );
    if (reuse) used.add(reuse.lineId);
    const line = dropLine(product, u, reuse?.lineId ?? newLineId());
    // A discount given on the line (perhaps approved by a manager) stays with it.
    return reuse?.discount ? { ...line, discount: reuse.discount } : line;
  });
  const before = lines.slice(0, Math.max(0, at)).filter((l) => !isDropLineOf(l, product.sku));
  return [...before, ...fresh, ...rest.slice(before.length)];
}
