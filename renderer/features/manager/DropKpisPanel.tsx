// Drop KPIs: choose a drop (or a family of micro-drops) and see sell-through, channels, repeat buyers, complaints and promoter cost.
import { useState } from 'react';
import type { DropList } from '../../../shared/kpis';
import { useStoreSettings } from '../../db/hooks';
import { posDb } from '../../db/instance';
import { useManagerLedger } from '../../sync/manager-session';
import { useDates } from '../../ui/dates';
import { useMoney } from '../../ui/money';
import { BarChart, LineChart } from './Chart';
import { KpiCard } from './KpiCard';
import { type DropKpis, dropKpis, dropList, type KpiScopeChoice } from './kpi-api';
import {
  aftercareTable,
  channelLabel,
  channelsTable,
  percent,
  promotersTable,
  repeatTable,
  sellThroughCurve,
} from './kpi-views';
import { useReport } from './useReport';

function scopeOf(choice: string): KpiScopeChoice | null {
  if (choice.startsWith('drop:')) return { dropId: choice.slice(5) };
  if (choice.startsWith('family:')) return { family: choice.slice(7) };
  return null;
}

function skusOf(list: DropList, scope: KpiScopeChoice | null): string[] {
  if (!scope) return [];
  const ids =
    'dropId' in scope
      ? [scope.dropId]
      : (list.families.find((f) => f.family === scope.family)?.dropIds ?? []);
  const skus = list.drops
    .filter((d) => ids.includes(d.id))
    .flatMap((d) => d.items.map((i) => i.sku));
  return [...new Set(skus)].sort();
}

export function DropKpisPanel() {
  const dates = useDates();
  const token = useManagerLedger((s) => s.token);
  const drops = useReport(() => dropList(posDb), [token]);
  const [choice, setChoice] = useState('');
  const [sku, setSku] = useState('');
  const [days, setDays] = useState(30);
  const list = drops.value;
  const firstDrop = list?.drops[0];
  const selected = choice || (firstDrop ? `drop:${firstDrop.id}` : '');
  const scope = scopeOf(selected);
  const kpis = useReport(
    async () =>
      scope
        ? dropKpis(posDb, scope, sku || null, days)
        : { ok: false as const, message: 'Choose a drop.' },
    [selected, sku, days, token],
  );

  return (
    <section className="drop-kpis" aria-label="Drop KPIs">
      <div className="row">
        <label className="inline-label">
          Drop
          <select
            aria-label="Drop"
            value={selected}
            onChange={(e) => {
              setChoice(e.target.value);
              setSku('');
            }}
          >
            {list?.drops.map((d) => (
              <option key={d.id} value={`drop:${d.id}`}>
                {d.name} ({dates.date(d.startsAt)})
              </option>
            ))}
            {list?.families
              .filter((f) => f.dropIds.length > 1)
              .map((f) => (
                <option key={f.family} value={`family:${f.family}`}>
                  All of {f.family} ({f.dropIds.length} drops)
                </option>
              ))}
          </select>
        </label>
        <label className="inline-label">
          SKU
          <select aria-label="SKU" value={sku} onChange={(e) => setSku(e.target.value)}>
            <option value="">All SKUs</option>
            {list &&
              skusOf(list, scope).map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
          </select>
        </label>
        <label className="inline-label">
          Repeat within
          <input
            type="number"
            min={1}
            max={365}
            value={days}
            onChange={(e) => setDays(Math.min(365, Math.max(1, Number(e.target.value) || 30)))}
            style={{ width: '6rem' }}
          />
          days
        </label>
        {(drops.status === 'loading' || kpis.status === 'loading') && (
          <span className="muted">Loading…</span>
        )}
      </div>
      {drops.status === 'failed' && (
        <p className="banner" role="status">
          Drop KPIs come from the ledger: {drops.message}
        </p>
      )}
      {list && list.drops.length === 0 && <p className="muted">No drops at the ledger yet.</p>}
      {scope && kpis.status === 'failed' && (
        <p className="error" role="alert">
          {kpis.message}
        </p>
      )}
      {kpis.value && (
        <KpiCards
          k={kpis.value}
          name={
            scope && 'dropId' in scope
              ? (list?.drops.find((d) => d.id === scope.dropId)?.name ?? scope.dropId)
              : `All of ${scope?.family ?? ''}`
          }
        />
      )}
    </section>
  );
}

function KpiCards({ k, name }: { k: DropKpis; name: string }) {
  const money = useMoney();
  const currency = useStoreSettings()?.currency ?? 'EUR';
  const curve = sellThroughCurve(k.sellThrough);
  const scopeName = k.sellThrough.scope.sku ? `${name} · ${k.sellThrough.scope.sku}` : name;
  const ch = channelsTable(k.channels, currency);
  const after = k.aftercare;
  const promo = k.promoters.promoters;
  const file = (name: string) => `${name}-${scopeName.replace(/[^A-Za-z0-9]+/g, '-')}.csv`;
  return (
    <div className="kpi-grid">
      <KpiCard
        title="Sell-through"
        summary={
          <span>
            <span className="kpi-figure">
              {k.sellThrough.sold} of {k.sellThrough.stock}
            </span>{' '}
            units sold
            {k.sellThrough.stock > 0 &&
              ` (${percent((k.sellThrough.sold * 10_000) / k.sellThrough.stock)}%)`}
          </span>
        }
        empty={curve.x.length === 0 ? 'Nothing sold in this drop yet.' : null}
        chart={
          <LineChart
            title={`Units sold since opening — ${scopeName}`}
            x={curve.x}
            series={curve.series}
            xLabel="Minutes since opening"
            yLabel="Units sold"
          />
        }
        table={{ header: curve.header, rows: curve.rows }}
        csvName={file('sell-through')}
      />
      <KpiCard
        title="Sales by channel"
        summary={`${k.channels.units} units to ${k.channels.buyers} buyers, ${money(k.channels.revenue)}. Shares are of this drop's units and buyers.`}
        empty={k.channels.channels.length === 0 ? 'No sales in this drop yet.' : null}
        chart={
          <BarChart
            title="Units by channel"
            labels={k.channels.channels.map(channelLabel)}
            values={k.channels.channels.map((c) => c.units)}
            xLabel="Channel"
            yLabel="Units"
          />
        }
        table={ch}
        csvName={file('channels')}
      />
      <KpiCard
        title="Repeat buyers"
        summary={
          <span>
            <span className="kpi-figure">{percent(k.repeat.rateBp)}%</span> of {k.repeat.buyers}{' '}
            member buyers bought again within {k.repeat.days} days
          </span>
        }
        empty={k.repeat.buyers === 0 ? 'No member bought in this drop.' : null}
        chart={
          <BarChart
            title="Member buyers and repeaters"
            labels={['Member buyers', `Bought again (${k.repeat.days} d)`]}
            values={[k.repeat.buyers, k.repeat.repeaters]}
            xLabel="Members"
            yLabel="Members"
          />
        }
        table={repeatTable(k.repeat)}
        csvName={file('repeat')}
      />
      <KpiCard
        title="Complaints and returns (14 days)"
        summary={
          <span>
            <span className="kpi-figure">{after.complaints}</span> complaints about{' '}
            {after.complainedSales} of {after.sales} sales
            {after.returnsTracked ? `, ${after.returns} returns` : ''}.{' '}
            <span className="muted">{after.note}</span>
          </span>
        }
        empty={after.byCategory.length === 0 ? 'No complaints logged in the 14 days.' : null}
        chart={
          <BarChart
            title="Complaints by category"
            labels={after.byCategory.map((c) => c.category)}
            values={after.byCategory.map((c) => c.count)}
            xLabel="Category"
            yLabel="Complaints"
          />
        }
        table={aftercareTable(after)}
        csvName={file('complaints')}
      />
      <KpiCard
        title="Cost per promoter buyer"
        summary="What each promoter cost, divided by the buyers who used their codes (all drops)."
        empty={
          promo.length === 0
            ? 'No promoter campaigns yet.'
            : promo.every((p) => p.costPerBuyer === null)
              ? 'No buyer has used a promoter’s code yet, so there is no cost per buyer.'
              : null
        }
        chart={
          <BarChart
            title="Cost per buyer by promoter"
            labels={promo.map((p) => p.promoter)}
            values={promo.map((p) => p.costPerBuyer ?? 0)}
            xLabel="Promoter"
            yLabel="Cost per buyer"
            format={money}
            minTop={100}
          />
        }
        table={promotersTable(k.promoters, currency)}
        csvName="promoters.csv"
      />
    </div>
  );
}
