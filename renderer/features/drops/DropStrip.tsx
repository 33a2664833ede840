// The sell screen's compact, foldable strip of live and next drops: countdown, units left, the next unit's price (and the cart's, when another), asking the ledger for more.
import { useState } from 'react';
import type { CartLine } from '../../../shared/cart';
import { type Drop, dropPhase } from '../../../shared/drops';
import type { DropData } from '../../db/drops-repo';
import { posDb } from '../../db/instance';
import { useCart } from '../../state/cart';
import { useSession } from '../../state/session';
import { Dialog } from '../../ui/Dialog';
import { useMoney } from '../../ui/money';
import { requestUnits, returnUnits } from './allotment-calls';
import {
  type ItemStatus,
  itemStatus,
  nextChangeText,
  restockText,
  showableDrops,
  storeTime,
} from './drop-till';
import './drops.css';

interface Props {
  data: DropData;
  now: Date;
  timeZone: string;
  /** Linked to a ledger: asking for and returning units is possible (when it answers). */
  linked: boolean;
}

const PHASE_WORDS = { early: 'Early access', live: 'Live', upcoming: 'Next' } as const;

export function priceChangeText(s: ItemStatus, timeZone: string, now: Date): string | null {
  if (!s.changes) return null;
  const parts: string[] = [];
  if (s.changes.afterUnits !== undefined) parts.push(`after ${s.changes.afterUnits} more`);
  if (s.changes.at) parts.push(`at ${storeTime(s.changes.at, timeZone, now)}`);
  return parts.length ? `price changes ${parts.join(' or ')}` : null;
}

/** Whether this till keeps the strip folded to one line per drop (remembered on this till only). */
const FOLDED_KEY = 'poptill.drop-strip.folded';
function useFolded(): [boolean, (folded: boolean) => void] {
  const [folded, setFolded] = useState(() => localStorage.getItem(FOLDED_KEY) === '1');
  return [
    folded,
    (f) => {
      localStorage.setItem(FOLDED_KEY, f ? '1' : '0');
      setFolded(f);
    },
  ];
}

/**
 * The drop price in the cart when it is not the next unit's: "in cart at €28.00 (First hour)".
 * The strip prices the next unit, so after a step moved on both are said, never just one.
 */
export function inCartText(
  drop: Drop,
  sku: string,
  nextPrice: number,
  lines: readonly CartLine[],
  money: (m: number) => string,
): string | null {
  const item = drop.items.find((i) => i.sku === sku);
  const seen = new Set<string>();
  for (const l of lines) {
    if (l.sku !== sku || l.drop?.dropId !== drop.id || l.unitPrice === nextPrice) continue;
    const label = item?.ladder[l.drop.step]?.label;
    seen.add(label ? `${money(l.unitPrice)} (${label})` : money(l.unitPrice));
  }
  return seen.size ? `in cart at ${[...seen].join(', ')}` : null;
}

export function DropStrip({ data, now, timeZone, linked }: Props) {
  const lines = useCart((s) => s.lines);
  const money = useMoney();
  const [asking, setAsking] = useState<{ drop: Drop; mode: 'request' | 'return' } | null>(null);
  const [folded, setFolded] = useFolded();
  const drops = showableDrops(data.drops, now);
  if (drops.length === 0) return null;
  return (
    <section
      id="drop-strip"
      className={folded ? 'drop-strip folded' : 'drop-strip'}
      aria-label="Drops"
    >
      {drops.map((drop, index) => {
        const key = phaseKey(drop, now);
        const change = nextChangeText(drop, now);
        return (
          <article key={drop.id} className="drop-card" aria-label={drop.name}>
            <header className="drop-card-head">
              <span className={`badge drop-phase-${key}`}>{PHASE_WORDS[key]}</span>
              <strong>{drop.name}</strong>
              {change && (
                <span className="drop-countdown" data-testid="drop-countdown">
                  {change}
                </span>
              )}
              {key === 'upcoming' && (
                <span className="muted drop-upcoming-items">
                  {drop.items.map((i) => data.products.get(i.sku)?.name ?? i.sku).join(', ')}
                </span>
              )}
              {linked && drop.allotments !== 'off' && key !== 'upcoming' && (
                <span className="row drop-card-actions">
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => setAsking({ drop, mode: 'request' })}
                  >
                    Ask for more
                  </button>
                  <button
                    type="button"
                    className="btn btn-small btn-ghost"
                    onClick={() => setAsking({ drop, mode: 'return' })}
                  >
                    Return unsold
                  </button>
                </span>
              )}
              {/* One fold for the whole strip, at the end of its first line. */}
              {index === 0 && (
                <button
                  type="button"
                  className="btn btn-small btn-ghost drop-fold"
                  aria-expanded={!folded}
                  aria-controls="drop-strip"
                  onClick={() => setFolded(!folded)}
                >
                  {folded ? 'Show drop items' : 'Hide drop items'}
                </button>
              )}
            </header>
            {key !== 'upcoming' && !folded && (
              <ul className="drop-items">
                {drop.items.map((item) => {
                  const s = itemStatus(data, drop, item, lines, now);
                  const priceNote = priceChangeText(s, timeZone, now);
                  const inCart = inCartText(drop, item.sku, s.price, lines, money);
                  return (
                    <li key={item.sku} className="drop-item" data-sku={item.sku}>
                      <span className="drop-item-name">{s.name}</span>
                      <span className="drop-price" data-testid="drop-price">
                        Next unit {money(s.price)} {s.stepLabel}
                        {s.fastFulfilment ? ' · fast fulfilment' : ''}
                        {priceNote ? <span className="muted"> · {priceNote}</span> : null}
                        {inCart ? (
                          <span className="drop-in-cart" data-testid="drop-in-cart">
                            {' '}
                            · {inCart}
                          </span>
                        ) : null}
                      </span>
                      <span
                        className={`drop-left drop-${s.scarcity.level}`}
                        data-testid="drop-left"
                      >
                        {s.here} left here · {s.overall} left overall ·{' '}
                        {restockText(drop, timeZone, now)}
                      </span>
                    </li>
                  );
                })}
              </ul>
            )}
          </article>
        );
      })}
      {asking && (
        <AllotmentDialog
          data={data}
          drop={asking.drop}
          mode={asking.mode}
          now={now}
          onClose={() => setAsking(null)}
        />
      )}
    </section>
  );
}

function phaseKey(drop: Drop, now: Date): 'early' | 'live' | 'upcoming' {
  const phase = dropPhase(drop, now);
  return phase === 'early' || phase === 'upcoming' ? phase : 'live';
}

function AllotmentDialog({
  data,
  drop,
  mode,
  now,
  onClose,
}: {
  data: DropData;
  drop: Drop;
  mode: 'request' | 'return';
  now: Date;
  onClose: () => void;
}) {
  const lines = useCart((s) => s.lines);
  const notify = useSession((s) => s.notify);
  const [sku, setSku] = useState(drop.items[0]!.sku);
  const [qty, setQty] = useState('1');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const item = drop.items.find((i) => i.sku === sku)!;
  const here = itemStatus(data, drop, item, lines, now).here;
  const n = Number(qty);
  const valid = Number.isInteger(n) && n > 0 && (mode === 'request' || n <= here);
  const submit = async () => {
    setBusy(true);
    setError(null);
    const result = await (mode === 'request' ? requestUnits : returnUnits)(posDb, drop.id, sku, n);
    setBusy(false);
    if (!result.ok) return setError(result.text);
    notify(result.text);
    onClose();
  };
  return (
    <Dialog
      title={mode === 'request' ? 'Ask the ledger for more' : 'Return unsold units'}
      onClose={onClose}
    >
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid && !busy) void submit();
        }}
      >
        <label>
          Item
          <select value={sku} onChange={(e) => setSku(e.target.value)}>
            {drop.items.map((i) => (
              <option key={i.sku} value={i.sku}>
                {data.products.get(i.sku)?.name ?? i.sku}
              </option>
            ))}
          </select>
        </label>
        <label>
          Units
          <input inputMode="numeric" value={qty} onChange={(e) => setQty(e.target.value)} />
        </label>
        <p className="muted">{here} left on this till.</p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="row">
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={!valid || busy}>
            {busy ? 'Asking the ledger…' : mode === 'request' ? 'Ask for more' : 'Return'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
