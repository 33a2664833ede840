// The exchange in progress (UI state until the new sale is paid): the goods coming back and the credit they give on the till.
import { create } from 'zustand';
import type { Minor } from '../../shared/money';
import type { ReturnOverride } from '../../shared/returns/override';
import type { FoundSale, ReturnLineInput } from '../db/returns-repo';

/** What the return screen hands to Sell and Pay: recorded only when the new sale completes. */
export interface PendingExchange {
  found: FoundSale;
  lines: ReturnLineInput[];
  /** The value of the goods coming back (the quote's refund total). */
  credit: Minor;
  override?: ReturnOverride;
  note?: string;
}

interface ExchangeState {
  exchange: PendingExchange | null;
  start: (exchange: PendingExchange) => void;
  /** Cancel the exchange: nothing was recorded, the goods stay with the customer. */
  cancel: () => void;
}

export const useExchange = create<ExchangeState>()((set) => ({
  exchange: null,
  start: (exchange) => set({ exchange }),
  cancel: () => set({ exchange: null }),
}));
