// The sale just committed, kept in memory so the Paid screen shows it at once instead of reading it back behind the live queries the commit woke.
import type { Sale } from '../../../shared/sale';

let last: Sale | null = null;

/** Call only with a sale whose transaction has committed: the screen then says Paid without reading it back. */
export function rememberPaid(sale: Sale): void {
  last = sale;
}

/** The sale just committed, if it is the one asked for. */
export function justPaid(saleId: string | null): Sale | undefined {
  return last && last.id === saleId ? last : undefined;
}
