// History's list: each sale with its time, total, how it was paid, who sold it and whether goods came back; voided carts in between.
import { useLiveQuery } from 'dexie-react-hooks';
import type { Sale, SaleVoid } from '../../../shared/sale';
import { posDb } from '../../db/instance';
import { useDates } from '../../ui/dates';
import { useMoney } from '../../ui/money';

interface Props {
  sales: Sale[] | undefined;
  selectedId: string | null;
  onPick: (saleId: string) => void;
  /** Voided carts are listed only in the plain list, not when a receipt number was asked for. */
  withVoids: boolean;
  empty: string;
}

/** "Cash", "Card", "Cash + Card", "Store credit": each kind once, in the order paid. */
export function tendersText(sale: Pick<Sale, 'tenders' | 'total'>): string {
  const words = {
    cash: 'Cash',
    card: 'Card',
    'store-credit': 'Store credit',
    exchange: 'Exchange',
  };
  const kinds = [...new Set(sale.tenders.map((t) => words[t.kind]))];
  return kinds.length ? kinds.join(' + ') : 'Nothing to pay';
}

type Row = { kind: 'sale'; at: string; sale: Sale } | { kind: 'void'; at: string; v: SaleVoid };

export function SaleList({ sales, selectedId, onPick, withVoids, empty }: Props) {
  const dates = useDates();
  const money = useMoney();
  const ids = sales?.map((s) => s.id) ?? [];
  // Units returned per sale, to mark it returned or part returned: the ledger's count (returns at
  // any till, once synced) or this till's own, whichever is more (one includes the other).
  const returned = useLiveQuery(async () => {
    if (ids.length === 0) return new Map<string, number>();
    const add = (m: Map<string, number>, id: string, n: number) => m.set(id, (m.get(id) ?? 0) + n);
    const here = new Map<string, number>();
    for (const r of await posDb.returns.where('saleId').anyOf(ids).toArray()) {
      add(
        here,
        r.saleId,
        r.lines.reduce((n, l) => n + l.qty, 0),
      );
    }
    const ledger = new Map<string, number>();
    for (const l of await posDb.returnedLines.where('saleId').anyOf(ids).toArray()) {
      add(ledger, l.saleId, l.qty);
    }
    return new Map(ids.map((id) => [id, Math.max(here.get(id) ?? 0, ledger.get(id) ?? 0)]));
  }, [ids.join(',')]);
  const oldest = sales?.at(-1)?.createdAt;
  const voids = useLiveQuery(async () => {
    if (!withVoids) return [];
    const all = await posDb.voids.toArray();
    const staff = new Map((await posDb.staff.toArray()).map((s) => [s.id, s.name]));
    return all
      .filter((v) => !oldest || v.createdAt >= oldest)
      .map((v) => ({ v, who: staff.get(v.staffId) ?? 'someone' }));
  }, [withVoids, oldest]);
  if (!sales) return null;
  const whoVoided = new Map(voids?.map((x) => [x.v.id, x.who]));
  const rows: Row[] = [
    ...sales.map((sale) => ({ kind: 'sale' as const, at: sale.createdAt, sale })),
    ...(voids ?? []).map(({ v }) => ({ kind: 'void' as const, at: v.createdAt, v })),
  ].sort((a, b) => b.at.localeCompare(a.at));

  return (
    <ol className="list sale-list" aria-label="Sales">
      {rows.map((row) => {
        if (row.kind === 'void') {
          const { v } = row;
          return (
            <li key={v.id} className="sale-void" data-testid="history-void">
              <span className="sale-mark sale-mark-void">Voided</span>
              <span>{dates.time(v.createdAt)}</span>
              <span className="muted">
                {v.itemCount} item{v.itemCount === 1 ? '' : 's'} · {money(v.value)} ·{' '}
                {whoVoided.get(v.id)}
              </span>
            </li>
          );
        }
        const { sale } = row;
        const units = sale.lines.reduce((n, l) => n + l.qty, 0);
        const back = returned?.get(sale.id) ?? 0;
        return (
          <li key={sale.id}>
            <button
              type="button"
              className={
                sale.id === selectedId ? 'btn list-btn sale-row on' : 'btn list-btn sale-row'
              }
              onClick={() => onPick(sale.id)}
              data-testid="history-sale"
            >
              <span className="sale-row-main">
                <span>{sale.receiptNumber}</span>
                <span className="muted">{dates.time(sale.createdAt)}</span>
                <strong>{money(sale.total + sale.rounding)}</strong>
              </span>
              <span className="sale-row-sub muted">
                <span>{tendersText(sale)}</span>
                <span>{sale.staffName}</span>
                {back > 0 && (
                  <span className="sale-mark">{back >= units ? 'Returned' : 'Part returned'}</span>
                )}
              </span>
            </button>
          </li>
        );
      })}
      {rows.length === 0 && <li className="muted">{empty}</li>}
    </ol>
  );
}
