// KPI answers turned into chart series and table rows (pure: the cards draw what this returns).
import type { Aftercare, Channels, Promoters, Repeat, SellThrough } from '../../../shared/kpis';
import { csvAmount } from '../../../shared/reports';
import type { Cell } from './csv';

export interface CurveView {
  /** Minutes since the public start (negative: member early access). */
  x: number[];
  /** Units sold up to and including each minute, per tier (and all tiers when more than one). */
  series: { label: string; values: number[]; dashed?: boolean }[];
  header: string[];
  rows: Cell[][];
}

/** Tiers in the order they open: named tiers first, "everyone" last. */
function tierOrder(a: string, b: string): number {
  if (a === b) return 0;
  if (a === 'everyone') return 1;
  if (b === 'everyone') return -1;
  return a.localeCompare(b);
}

/** Sell-through as cumulative units per tier, minute by minute (a family's drops add up). */
export function sellThroughCurve(st: SellThrough): CurveView {
  const tiers = [...new Set(st.points.map((p) => p.tier))].sort(tierOrder);
  const perMinute = new Map<number, Map<string, number>>();
  for (const p of st.points) {
    const m = perMinute.get(p.minute) ?? new Map<string, number>();
    m.set(p.tier, (m.get(p.tier) ?? 0) + p.units);
    perMinute.set(p.minute, m);
  }
  const minutes = [...perMinute.keys()].sort((a, b) => a - b);
  if (minutes.length === 0) return { x: [], series: [], header: [], rows: [] };
  const first = Math.min(0, minutes[0]!);
  const last = minutes[minutes.length - 1]!;
  const x: number[] = [];
  const running = new Map(tiers.map((t) => [t, 0]));
  const values = new Map(tiers.map((t) => [t, [] as number[]]));
  const total: number[] = [];
  for (let minute = first; minute <= last; minute++) {
    x.push(minute);
    const sold = perMinute.get(minute);
    let sum = 0;
    for (const t of tiers) {
      const v = (running.get(t) ?? 0) + (sold?.get(t) ?? 0);
      running.set(t, v);
      values.get(t)!.push(v);
      sum += v;
    }
    total.push(sum);
  }
  const series: CurveView['series'] = tiers.map((t) => ({ label: t, values: values.get(t)! }));
  if (tiers.length > 1) series.push({ label: 'All tiers', values: total, dashed: true });
  // Per-tier units in that minute, then the running total and its share of the stock.
  const header = ['minute', ...tiers, 'total so far', '% sold'];
  const rows = minutes.map((minute) => {
    const sold = perMinute.get(minute)!;
    const cumulative = total[minute - first]!;
    return [
      minute,
      ...tiers.map((t) => sold.get(t) ?? 0),
      cumulative,
      st.stock > 0 ? percent((cumulative * 10_000) / st.stock) : null,
    ];
  });
  return { x, series, header, rows };
}

/** Basis points as "12.5" (percent, one decimal). */
export function percent(bp: number): string {
  return (Math.round(bp) / 100).toFixed(1);
}

export function channelLabel(c: Channels['channels'][number]): string {
  if (c.channel === 'walk-in') return 'Walk-in';
  if (c.channel === 'member-early') return 'Member early access';
  const name = c.campaignName ?? c.campaignId ?? 'Promo code';
  return c.promoter ? `${name} (${c.promoter})` : name;
}

export function channelsTable(ch: Channels, currency: string) {
  return {
    header: ['channel', 'units', 'units %', 'sales', 'revenue', 'buyers', 'buyers %'],
    rows: ch.channels.map((c): Cell[] => [
      channelLabel(c),
      c.units,
      percent(c.unitsShareBp),
      c.sales,
      csvAmount(c.revenue, currency),
      c.buyers,
      percent(c.buyersShareBp),
    ]),
  };
}

export function repeatTable(r: Repeat) {
  return {
    header: ['member buyers', `bought again within ${r.days} days`, 'repeat rate %'],
    rows: [[r.buyers, r.repeaters, percent(r.rateBp)]] as Cell[][],
  };
}

export function aftercareTable(a: Aftercare) {
  return {
    header: ['category', 'complaints'],
    rows: [
      ...a.byCategory.map((c): Cell[] => [c.category, c.count]),
      ['all complaints', a.complaints],
      ['sales complained about', a.complainedSales],
      ['returns', a.returnsTracked ? a.returns : 'not tracked yet'],
      ['sales in scope', a.sales],
    ] as Cell[][],
  };
}

export function promotersTable(p: Promoters, currency: string) {
  return {
    header: ['promoter', 'cost', 'redemptions', 'discount given', 'buyers', 'cost per buyer'],
    rows: p.promoters.map((x): Cell[] => [
      x.promoter,
      csvAmount(x.cost, currency),
      x.redemptions,
      csvAmount(x.discount, currency),
      x.buyers,
      x.costPerBuyer === null ? null : csvAmount(x.costPerBuyer, currency),
    ]),
  };
}
