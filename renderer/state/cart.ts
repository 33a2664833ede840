// The cart being built (UI state until it is paid): lines, quantities, discounts, manager approval.
import { create } from 'zustand';
import type { CartLine, Discount } from '../../shared/cart';
import type { Product } from '../../shared/catalog';

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
  setMember: (memberId: string | null) => void;
  setPromoCode: (code: string | null) => void;
  add: (product: Pick<Product, 'sku' | 'name' | 'price' | 'taxClassId'>) => void;
  setQty: (lineId: string, qty: number) => void;
  remove: (lineId: string) => void;
  setLineDiscount: (lineId: string, discount: Discount | undefined, approvedBy?: string) => void;
  setOrderDiscount: (discount: Discount | undefined, approvedBy?: string) => void;
  load: (lines: CartLine[], orderDiscount?: Discount, approvedBy?: string) => void;
  reset: () => void;
}

let lineCounter = 0;
const nextLineId = () => `L${Date.now().toString(36)}${(++lineCounter).toString(36)}`;

const empty = {
  lines: [],
  orderDiscount: undefined,
  approvedBy: undefined,
  activeLineId: null,
  memberId: null,
  promoCode: null,
};

export const useCart = create<CartState>()((set) => ({
  ...empty,
  add: (p) =>
    set((s) => {
      // Scanning the same item again adds to its line, unless that line has its own discount.
      const same = s.lines.find((l) => l.sku === p.sku && !l.discount);
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
    set((s) => ({
      lines: s.lines.map((l) => (l.lineId === lineId ? { ...l, qty } : l)),
      activeLineId: lineId,
    })),
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
  load: (lines, orderDiscount, approvedBy) =>
    set({ lines, orderDiscount, approvedBy, activeLineId: lines.at(-1)?.lineId ?? null }),
  setMember: (memberId) => set({ memberId }),
  setPromoCode: (promoCode) => set({ promoCode }),
  reset: () => set(empty),
}));
