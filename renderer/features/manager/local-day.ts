// Reads this till's own sales, voids, returns, redemptions and shifts for one business day (the offline end of day).
import { businessDate } from '../../../shared/business-day';
import { getSetting, type PosDb } from '../../db/db';
import { type EndOfDay, endOfDayFromTill } from './end-of-day';

/** Sales are indexed by UTC time: widen the range by a day either side, then keep the local day's. */
function utcRange(date: string): [string, string] {
  const start = new Date(`${date}T00:00:00Z`).getTime();
  const day = 86_400_000;
  return [new Date(start - day).toISOString(), new Date(start + 2 * day).toISOString()];
}

export async function localEndOfDay(db: PosDb, date: string): Promise<EndOfDay> {
  const store = await getSetting(db, 'store');
  const device = await getSetting(db, 'device');
  const sync = await getSetting(db, 'sync');
  const timeZone = store?.timeZone ?? 'UTC';
  const onDay = (iso: string) => businessDate(iso, timeZone) === date;
  const [from, to] = utcRange(date);
  const sales = (await db.sales.where('createdAt').between(from, to).toArray()).filter((s) =>
    onDay(s.createdAt),
  );
  const allVoids = await db.voids.toArray();
  const voids = allVoids.filter((v) => onDay(v.createdAt));
  const returns = (await db.returns.where('createdAt').between(from, to).toArray()).filter((r) =>
    onDay(r.createdAt),
  );
  const saleIds = new Set(sales.map((s) => s.id));
  const redemptions = (await db.redemptions.toArray()).filter((r) => saleIds.has(r.saleId));

  const shiftIds = new Set([...sales, ...voids, ...returns].map((x) => x.shiftId));
  const shifts = (await db.shifts.toArray()).filter(
    (s) => shiftIds.has(s.id) || onDay(s.openedAt) || (s.closedAt && onDay(s.closedAt)),
  );
  shifts.sort((a, b) => a.openedAt.localeCompare(b.openedAt));
  const perShift = await Promise.all(
    shifts.map(async (shift) => ({
      shift,
      sales: await db.sales.where('shiftId').equals(shift.id).toArray(),
      voids: allVoids.filter((v) => v.shiftId === shift.id),
      returns: await db.returns.where('shiftId').equals(shift.id).toArray(),
    })),
  );

  const unsyncedRows = await db.outbox.where('type').equals('sale.completed').toArray();
  const since = unsyncedRows.reduce<string | null>(
    (min, r) => (min === null || r.createdAt < min ? r.createdAt : min),
    null,
  );
  return endOfDayFromTill({
    date,
    currency: store?.currency ?? 'EUR',
    storeId: store?.storeId ?? '',
    till: {
      deviceId: device?.deviceId ?? 'this-till',
      name: device?.name ?? 'This till',
      prefix: device?.prefix ?? '',
    },
    sales,
    voids,
    returns,
    redemptions,
    shifts: perShift,
    unsynced: { count: unsyncedRows.length, since },
    lastPushAt: sync?.lastSuccessAt ?? null,
  });
}

/** Today's business date in the store's time zone. */
export function todayIn(timeZone: string | undefined, now = new Date()): string {
  return businessDate(now.toISOString(), timeZone ?? 'UTC');
}
