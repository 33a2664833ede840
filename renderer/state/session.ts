// UI session state: who is logged in, which screen is showing, the last sale, and the toast line.
import { create } from 'zustand';
import type { Staff } from '../../shared/catalog';

export type Screen =
  | 'login'
  | 'sell'
  | 'pay'
  | 'receipt'
  | 'shift'
  | 'history'
  | 'returns'
  | 'settings'
  | 'drops'
  | 'promos'
  | 'manager';

export interface Toast {
  id: number;
  kind: 'info' | 'error';
  text: string;
}

interface SessionState {
  staff: Staff | null;
  screen: Screen;
  /** The sale shown on the receipt screen or picked in history. */
  saleId: string | null;
  /** Counts every move between screens: a screen keyed on it starts afresh when chosen again. */
  visit: number;
  toast: Toast | null;
  login: (staff: Staff) => void;
  logout: () => void;
  go: (screen: Screen, saleId?: string | null) => void;
  notify: (text: string, kind?: Toast['kind']) => void;
  dismiss: () => void;
}

let toastId = 0;

export const useSession = create<SessionState>()((set) => ({
  staff: null,
  screen: 'login',
  saleId: null,
  visit: 0,
  toast: null,
  login: (staff) => set({ staff, screen: 'sell' }),
  logout: () => set({ staff: null, screen: 'login', saleId: null }),
  go: (screen, saleId) =>
    set((s) => ({
      screen,
      saleId: saleId === undefined ? s.saleId : saleId,
      visit: s.visit + 1,
    })),
  notify: (text, kind = 'info') => set({ toast: { id: ++toastId, kind, text } }),
  dismiss: () => set({ toast: null }),
}));
