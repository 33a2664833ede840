// Shifts on this till: open with a float, close with the counted drawer and freeze the Z report.
import { type Shift, type ShiftReport, shiftReport, shiftSchema } from '../../shared/shift';
import { getSetting, type PosDb, type ShiftRow } from './db';
import { newId, nextCounters } from './sales-repo';

export async function currentShift(db: PosDb): Promise<ShiftRow | undefined> {
  return db.shifts.where('open').equals(1).first();
}

export type ShiftResult = { ok: true; shift: ShiftRow } | { ok: false; message: string };

export async function openShift(
  db: PosDb,
  staffId: string,
  float: number,
  now = new Date(),
): Promise<ShiftResult> {
  return db.transaction('rw', [db.shifts, db.settings, db.outbox], async () => {
    if (await currentShift(db))
      return { ok: false, message: 'A shift is already open on this till.' };
    const device = await getSetting(db, 'device');
    if (!device) return { ok: false, message: 'This till is not set up yet.' };
    const shift: Shift = shiftSchema.parse({
      id: newId(now.getTime()),
      deviceId: device.deviceId,
      openedAt: now.toISOString(),
      openedBy: staffId,
      float,
    });
    const row: ShiftRow = { ...shift, open: 1 };
    await db.shifts.add(row);
    const { seq } = await nextCounters(db, false);
    await db.outbox.add({
      seq,
      eventId: newId(now.getTime()),
      type: 'shift.opened',
      createdAt: shift.openedAt,
      payload: shift,
    });
    return { ok: true, shift: row };
  });
}

/** The X report: where the open shift stands now. */
export async function reportFor(
  db: PosDb,
  shift: Pick<Shift, 'id' | 'float' | 'counted'>,
): Promise<ShiftReport> {
  const [sales, voids, returns, staff] = await Promise.all([
    db.sales.where('shiftId').equals(shift.id).toArray(),
    db.voids.where('shiftId').equals(shift.id).toArray(),
    db.returns.where('shiftId').equals(shift.id).toArray(),
    db.staff.toArray(),
  ]);
  // Returns carry only a staff id: the per-staff split names who refunded from the staff list.
  const names = Object.fromEntries(staff.map((s) => [s.id, s.name]));
  return shiftReport(shift, sales, voids, returns, names);
}

/** Close the shift with the counted drawer; the Z report is computed and stored in the same transaction. */
export async function closeShift(
  db: PosDb,
  shiftId: string,
  staffId: string,
  counted: Record<string, number>,
  now = new Date(),
): Promise<ShiftResult> {
  const tables = [db.shifts, db.sales, db.voids, db.returns, db.staff, db.settings, db.outbox];
  return db.transaction('rw', tables, async () => {
    const shift = await db.shifts.get(shiftId);
    if (shift?.open !== 1) return { ok: false, message: 'This shift is already closed.' };
    const closed: ShiftRow = {
      ...shift,
      open: 0,
      closedAt: now.toISOString(),
      closedBy: staffId,
      counted,
    };
    closed.zReport = await reportFor(db, closed);
    // Never "all synced" by omission: the Z report says how many of its sales the ledger lacks.
    if ((await getSetting(db, 'mode')) === 'ledger') {
      closed.zReport.unsyncedSales = await db.outbox
        .filter(
          (r) =>
            r.type === 'sale.completed' && (r.payload as { shiftId?: string }).shiftId === shiftId,
        )
        .count();
    }
    await db.shifts.put(closed);
    const { seq } = await nextCounters(db, false);
    const { open: _open, ...fact } = closed;
    await db.outbox.add({
      seq,
      eventId: newId(now.getTime()),
      type: 'shift.closed',
      createdAt: closed.closedAt!,
      payload: fact,
    });
    return { ok: true, shift: closed };
  });
}
