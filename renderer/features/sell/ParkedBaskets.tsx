// Park and Parked on the sell screen: park the open basket under a name, list parked baskets ("2 items · €56.00"), and switch between a parked one and the open one.
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import type { Minor } from '../../../shared/money';
import { posDb } from '../../db/instance';
import {
  type ParkedCart,
  type ParkInput,
  parkRefusal,
  parkSale,
  swapParked,
  takeParked,
} from '../../db/parked-repo';
import { checkParkedCart, type SaleRefusalCode } from '../../db/sales-repo';
import { useCart } from '../../state/cart';
import { useExchange } from '../../state/exchange';
import { useSession } from '../../state/session';
import { Dialog, FormFooter } from '../../ui/Dialog';
import { useDates } from '../../ui/dates';
import { useMoney } from '../../ui/money';
import { useMemberClaim } from '../promos/member-claim';
import { itemsText } from './items-text';

interface Props {
  itemCount: number;
  total: Minor;
  /** Tells the sell screen a dialog is open (the scanner waits meanwhile). */
  onDialog: (open: boolean) => void;
}

const EXCHANGE_BLOCKS =
  'A basket with an exchange cannot be parked: finish the exchange or cancel it first.';

/** Items in a parked basket, also for rows parked before the count was kept. */
const itemsOf = (p: ParkedCart) => p.itemCount ?? p.lines.reduce((n, l) => n + l.qty, 0);

export function ParkedBaskets({ itemCount, total, onDialog }: Props) {
  const staff = useSession((s) => s.staff)!;
  const notify = useSession((s) => s.notify);
  const money = useMoney();
  const dates = useDates();
  const parked = useLiveQuery(
    (): Promise<ParkedCart[]> => posDb.parked.orderBy('parkedAt').toArray(),
    [],
  );
  const exchange = useExchange((x) => x.exchange);
  const [open, setOpen] = useState<'park' | 'list' | null>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  /** What no longer holds for a basket just taken back from the parked list. */
  const [resumed, setResumed] = useState<{ code: SaleRefusalCode; message: string }[]>([]);
  const hasItems = itemCount > 0;

  useEffect(() => onDialog(open !== null || resumed.length > 0), [open, resumed, onDialog]);

  const close = () => {
    setOpen(null);
    setError(null);
    setName('');
  };

  /** The open basket as it would be parked, under the name typed (or the time, if none). */
  const openBasket = (): ParkInput => {
    const c = useCart.getState();
    return {
      staffId: staff.id,
      staffName: staff.name,
      lines: c.lines,
      ...(c.orderDiscount ? { orderDiscount: c.orderDiscount } : {}),
      ...(c.approvedBy ? { approvedBy: c.approvedBy } : {}),
      memberId: c.memberId,
      promoCode: c.promoCode,
      claimCampaignId: useMemberClaim.getState().campaignId,
      label: name.trim() || c.parkedName || `Basket from ${dates.time(new Date())}`,
      itemCount,
      total,
    };
  };

  const startPark = () => {
    if (exchange) return notify(EXCHANGE_BLOCKS, 'error');
    if (!hasItems) return notify('The basket is empty: there is nothing to park.', 'error');
    setName(useCart.getState().parkedName ?? '');
    setOpen('park');
  };

  const park = async () => {
    const input = openBasket();
    const refused = parkRefusal(input);
    if (refused) return setError(refused);
    await parkSale(posDb, input);
    useCart.getState().reset();
    close();
    notify(`“${input.label}” is parked: take it back from Parked.`);
  };

  const load = async (row: ParkedCart) => {
    const memberId = row.memberId ?? null;
    const promoCode = row.promoCode ?? null;
    const claimCampaignId = row.claimCampaignId ?? null;
    useCart.getState().load({ ...row, memberId, promoCode, parkedName: row.label });
    // After the member: a change of member clears any claim.
    useMemberClaim.getState().claim(claimCampaignId);
    // Checked as its sale will be: a limit reached on another till or a code used up meanwhile.
    const lines = row.lines;
    setResumed(await checkParkedCart(posDb, { lines, memberId, promoCode, claimCampaignId }));
  };

  const resume = async (id: string) => {
    if (hasItems && exchange) return setError(EXCHANGE_BLOCKS);
    let row: ParkedCart | undefined;
    let parkedOpen: string | null = null;
    if (hasItems) {
      const input = openBasket();
      const refused = parkRefusal(input);
      if (refused) return setError(refused);
      row = await swapParked(posDb, input, id);
      parkedOpen = input.label;
    } else row = await takeParked(posDb, id);
    close();
    if (!row) return notify('That basket was already taken back.', 'error');
    useCart.getState().reset();
    await load(row);
    notify(
      parkedOpen
        ? `Switched to “${row.label}”; “${parkedOpen}” is parked.`
        : `“${row.label}” is back in the basket.`,
    );
  };

  return (
    <>
      <button type="button" className="btn" onClick={startPark} aria-disabled={!hasItems}>
        Park
      </button>
      <button
        type="button"
        className="btn"
        disabled={!parked?.length}
        title={parked?.length ? undefined : 'No baskets are parked'}
        onClick={() => {
          setName(useCart.getState().parkedName ?? '');
          setOpen('list');
        }}
      >
        Parked{parked?.length ? ` (${parked.length})` : ''}
      </button>

      {open === 'park' && (
        <Dialog title="Park this sale" onClose={close}>
          <form
            className="stack"
            onSubmit={(e) => {
              e.preventDefault();
              void park();
            }}
          >
            <p>
              {itemsText(itemCount)} · {money(total)}
            </p>
            <label>
              Name or note (who it is for)
              <input
                value={name}
                maxLength={60}
                placeholder="Blue jacket lady"
                onChange={(e) => {
                  setName(e.target.value);
                  setError(null);
                }}
              />
            </label>
            <FormFooter error={error} onCancel={close} submit="Park sale" />
          </form>
        </Dialog>
      )}

      {open === 'list' && (
        <Dialog title="Parked sales" onClose={close}>
          {hasItems && exchange && <p className="error">{EXCHANGE_BLOCKS}</p>}
          {hasItems && !exchange && (
            <label>
              Choosing one parks the open basket ({itemsText(itemCount)} · {money(total)}) as:
              <input
                value={name}
                maxLength={60}
                placeholder={`Basket from ${dates.time(new Date())}`}
                onChange={(e) => {
                  setName(e.target.value);
                  setError(null);
                }}
              />
            </label>
          )}
          <ul className="list" aria-label="Parked sales">
            {parked?.map((p) => (
              <li key={p.id}>
                <button
                  type="button"
                  className="btn list-btn parked-basket"
                  onClick={() => resume(p.id)}
                  disabled={hasItems && !!exchange}
                >
                  <strong>{p.label}</strong>
                  {p.itemCount !== undefined && (
                    <span>
                      {' '}
                      · {itemsText(itemsOf(p))}
                      {p.total !== undefined ? ` · ${money(p.total)}` : ''}
                    </span>
                  )}
                  <span className="muted">
                    {' '}
                    · {p.staffName ? `${p.staffName}, ` : ''}
                    {dates.time(p.parkedAt)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          <p className="error" role="alert">
            {error ?? ''}
          </p>
          <button type="button" className="btn btn-ghost" onClick={close}>
            Close
          </button>
        </Dialog>
      )}

      {resumed.length > 0 && (
        <Dialog title="Check this parked sale" onClose={() => setResumed([])}>
          {resumed.map((r) => (
            <p key={r.code} role="alert" className="drop-refusal">
              {r.message}
            </p>
          ))}
          <div className="row">
            {resumed.some((r) => r.code === 'price-changed') && (
              <button
                type="button"
                className="btn"
                onClick={() => {
                  useCart.getState().repriceDrops();
                  setResumed([]);
                }}
              >
                Update prices
              </button>
            )}
            <button type="button" className="btn btn-primary" onClick={() => setResumed([])}>
              OK
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}
