// The cart being built (UI state until it is paid): lines, quantities, discounts, manager approval, member, drop checks.
import { create } from 'zustand';
import type { CartLine, Discount } from '../../shared/cart';
import {
  addDropUnits,
  type CartProduct,
  type DropUnits,
  isDropLineOf,
  replaceDropUnits,
} from '../../shared/drop-lines';

export type { DropUnits };

export type DropGuardResult = { ok: true; units: DropUnits[] } | { ok: false; message: string };

/**
 * The drop rules, installed by the sell screen once its drop data has loaded. `check` answers
 * for `qty` more units of a product on top of the units already in `lines`: null when the
 * SKU is in no live drop (an ordinary line).
 */
export interface DropGuard {
  check: (
    product: CartProduct,
    qty: number,
    lines: readonly CartLine[],
    memberId: string | null,
  ) => DropGuardResult | null;
}

interface CartState {
  lines: CartLine[];
  orderDiscount: Discount | undefined;
  /** Manager who approved a discount above the cashier's limit. */
  approvedBy: string | undefined;
  /** The line last added or touched (highlighted, and the target of keyboard +/-). */
  activeLineId: string | null;
  /** The member identified for this sale (early access, drop limits, member offers). */
  memberId: string | null;
  /** A promo code entered or scanned for this sale (checked and priced by the promo rules). */
  promoCode: string | null;
  /** Why the last drop item could not be added or changed (shown until dismissed). */
  dropRefusal: string | null;
  /** The name it had while parked ("Blue jacket lady"), kept if it is parked again. */
  parkedName: string | null;
  /** null until the drop data has loaded: nothing is added then, since any SKU may be a drop item. */
  dropGuard: DropGuard | null;
  setMember: (memberId: string | null) => void;
  setPromoCode: (code: string | null) => void;
  setDropGuard: (guard: DropGuard | null) => void;
  dismissDropRefusal: () => void;
  add: (product: CartProduct) => void;
  setQty: (lineId: string, qty: number) => void;
  remove: (lineId: string) => void;
  setLineDiscount: (lineId: string, discount: Discount | undefined, approvedBy?: string) => void;
  setOrderDiscount: (discount: Discount | undefined, approvedBy?: string) => void;
  /** Each drop item's units priced again by the drop rules as they stand now (a parked cart, a step that moved on). */
  repriceDrops: () => void;
  load: (cart: {
    lines: CartLine[];
    orderDiscount?: Discount;
    approvedBy?: string;
    memberId?: string | null;
    promoCode?: string | null;
    parkedName?: string | null;
  }) => void;
  reset: () => void;
}

/** Why nothing is added before the drop data has loaded: a drop SKU must never sell at shelf price. */
export const DROP_DATA_LOADING = 'Drop data is still loading — try again in a moment.';

let lineCounter = 0;
const nextLineId = () => `L${Date.now().toString(36)}${(++lineCounter).toString(36)}`;

const empty = {
  lines: [],
  orderDiscount: undefined,
  approvedBy: undefined,
  activeLineId: null,
  memberId: null,
  promoCode: null,
  dropRefusal: null,
  parkedName: null,
};

const productOf = (l: CartLine): CartProduct => ({
  sku: l.sku,
  name: l.name,
  price: l.unitPrice,
  taxClassId: l.taxClassId,
});

const unitsOf = (lines: readonly CartLine[], sku: string) =>
  lines.filter((l) => isDropLineOf(l, sku)).reduce((n, l) => n + l.qty, 0);

export const useCart = create<CartState>()((set) => ({
  ...empty,
  dropGuard: null,
  add: (p) =>
    set((s) => {
      if (!s.dropGuard) return { dropRefusal: DROP_DATA_LOADING };
      const checked = s.dropGuard.check(p, 1, s.lines, s.memberId);
      if (checked && !checked.ok) return { dropRefusal: checked.message };
      if (checked?.ok) {
        const next = addDropUnits(s.lines, p, checked.units, nextLineId);
        return { lines: next.lines, activeLineId: next.active, dropRefusal: null };
      }
      // Scanning the same item again adds to its line, unless that line has its own discount.
      const same = s.lines.find((l) => l.sku === p.sku && !l.discount && !l.drop);
      if (same) {
        return {
          lines: s.lines.map((l) => (l === same ? { ...l, qty: l.qty + 1 } : l)),
          activeLineId: same.lineId,
        };
      }
      const line: CartLine = {
        lineId: nextLineId(),
        sku: p.sku,
        name: p.name,
        unitPrice: p.price,
        qty: 1,
        taxClassId: p.taxClassId,
      };
      return { lines: [...s.lines, line], activeLineId: line.lineId };
    }),
  setQty: (lineId, qty) =>
    set((s) => {
      const line = s.lines.find((l) => l.lineId === lineId);
      if (line?.drop && !s.dropGuard && qty > line.qty) return { dropRefusal: DROP_DATA_LOADING };
      if (line?.drop && s.dropGuard && qty > line.qty) {
        const product = productOf(line);
        const checked = s.dropGuard.check(product, qty - line.qty, s.lines, s.memberId);
        if (checked && !checked.ok) return { dropRefusal: checked.message };
        if (checked?.ok) {
          const next = addDropUnits(s.lines, product, checked.units, nextLineId);
          return { lines: next.lines, activeLineId: next.active, dropRefusal: null };
        }
      }
      if (line?.drop && s.dropGuard && qty < line.qty) {
        // Fewer units: the item's remaining units are priced again from the first (the ladder counts them all).
        const product = productOf(line);
        const total = unitsOf(s.lines, line.sku) - line.qty + qty;
        const others = s.lines.filter((l) => !isDropLineOf(l, line.sku));
        const checked = s.dropGuard.check(product, total, others, s.memberId);
        if (checked?.ok) {
          return {
            lines: replaceDropUnits(s.lines, product, checked.units, nextLineId),
            activeLineId: lineId,
          };
        }
      }
      return {
        lines: s.lines.map((l) => (l.lineId === lineId ? { ...l, qty } : l)),
        activeLineId: lineId,
      };
    }),
  remove: (lineId) =>
    set((s) => ({
      lines: s.lines.filter((l) => l.lineId !== lineId),
      activeLineId: s.activeLineId === lineId ? null : s.activeLineId,
    })),
  setLineDiscount: (lineId, discount, approvedBy) =>
    set((s) => ({
      lines: s.lines.map((l) => (l.lineId === lineId ? { ...l, discount } : l)),
      approvedBy: approvedBy ?? s.approvedBy,
    })),
  setOrderDiscount: (discount, approvedBy) =>
    set((s) => ({ orderDiscount: discount, approvedBy: approvedBy ?? s.approvedBy })),
  repriceDrops: () =>
    set((s) => {
      if (!s.dropGuard) return { dropRefusal: DROP_DATA_LOADING };
      let lines = s.lines;
      for (const sku of new Set(lines.filter((l) => l.drop).map((l) => l.sku))) {
        const product = productOf(lines.find((l) => isDropLineOf(l, sku))!);
        const others = lines.filter((l) => !isDropLineOf(l, sku));
        const checked = s.dropGuard.check(product, unitsOf(lines, sku), others, s.memberId);
        // An item the rules refuse now keeps its lines: the sale's commit names the reason.
        if (checked?.ok) lines = replaceDropUnits(lines, product, checked.units, nextLineId);
      }
      return { lines };
    }),
  load: ({
    lines,
    orderDiscount,
    approvedBy,
    memberId = null,
    promoCode = null,
    parkedName = null,
  }) =>
    set({
      lines,
      orderDiscount,
      approvedBy,
      memberId,
      promoCode,
      parkedName,
      activeLineId: lines.at(-1)?.lineId ?? null,
    }),
  setMember: (memberId) => set({ memberId }),
  setPromoCode: (promoCode) => set({ promoCode }),
  setDropGuard: (dropGuard) => set({ dropGuard }),
  dismissDropRefusal: () => set({ dropRefusal: null }),
  reset: () => set(empty),
}));
