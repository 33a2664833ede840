// The drop board: a read-only, big-type screen for a second monitor or tablet (what is live, what is next, what is left).
import { scarcity } from '../../../shared/drops';
import { useStoreSettings } from '../../db/hooks';
import { useMoney } from '../../ui/money';
import { priceChangeText } from './DropStrip';
import { itemStatus, nextChangeText, restockText, showableDrops, storeTime } from './drop-till';
import { useDropData, useNow } from './useDropData';
import './drops.css';

export function DropBoard() {
  const data = useDropData();
  const now = useNow();
  const store = useStoreSettings();
  const money = useMoney();
  if (!data || !store) return <main className="drop-board" aria-busy="true" />;
  const timeZone = store.timeZone;
  const drops = showableDrops(data.drops, now, 3);
  return (
    <main className="drop-board" aria-label="Drop board">
      <h1>
        {store.name} · drops{' '}
        <span className="muted">{storeTime(now.toISOString(), timeZone, now)}</span>
      </h1>
      {drops.length === 0 && <p className="drop-board-clock">No drops live or coming up.</p>}
      {drops.map((drop) => {
        const started = Date.parse(drop.startsAt) <= now.getTime();
        return (
          <section key={drop.id} className="drop-board-drop" aria-label={drop.name}>
            <div className="drop-board-head">
              <h2>
                {started ? 'Live now: ' : 'Next: '}
                {drop.name}
              </h2>
              <span className="drop-board-clock" data-testid="board-countdown">
                {nextChangeText(drop, now)}
              </span>
              <span className="muted">{restockText(drop, timeZone, now)}</span>
            </div>
            <ul className="drop-board-items">
              {drop.items.map((item) => {
                const s = itemStatus(data, drop, item, [], now);
                const left = scarcity(s.overall, item.quantity);
                const change = priceChangeText(s, timeZone, now);
                return (
                  <li key={item.sku} className="drop-board-item" data-sku={item.sku}>
                    <span>{s.name}</span>
                    <span className="price">
                      {money(s.price)} <span className="muted">{s.stepLabel}</span>
                    </span>
                    {change && <span className="muted">{change}</span>}
                    <span className={`left drop-${left.level}`} data-testid="board-left">
                      {left.text}
                      {left.level !== 'sold-out' && ` of ${item.quantity}`}
                    </span>
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
    </main>
  );
}
