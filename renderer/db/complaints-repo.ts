// Logging a complaint against a past sale: the complaints row and its 'complaint.logged' outbox fact, in one transaction.
import { z } from 'zod';
import { COMPLAINT_CATEGORIES, type Complaint, complaintSchema } from '../../shared/complaints';
import { type ComplaintRow, getSetting, type PosDb } from './db';
import { newId, nextCounters } from './sales-repo';

export const complaintInputSchema = z.object({
  saleId: z.string().min(1),
  category: z.enum(COMPLAINT_CATEGORIES),
  note: z.string().trim().max(500),
  staffId: z.string().min(1),
});
export type ComplaintInput = z.input<typeof complaintInputSchema>;

export type LogComplaintResult =
  | { ok: true; complaint: ComplaintRow }
  | { ok: false; code: 'invalid' | 'unknown-sale' | 'not-set-up'; message: string };

/** Words a cashier reads for each category. */
export const COMPLAINT_LABELS: Record<Complaint['category'], string> = {
  quality: 'Quality',
  sizing: 'Sizing / fit',
  damaged: 'Arrived damaged',
  late: 'Late delivery',
  service: 'Service at the stall',
  other: 'Other',
};

/**
 * Record a complaint about a sale made on this till. The complaint and its outbox entry
 * (with the next device sequence number) are written together or not at all.
 */
export async function logComplaint(
  db: PosDb,
  input: ComplaintInput,
  now = new Date(),
): Promise<LogComplaintResult> {
  const parsed = complaintInputSchema.safeParse(input);
  if (!parsed.success) {
    const tooLong = parsed.error.issues.some((i) => i.path[0] === 'note');
    return {
      ok: false,
      code: 'invalid',
      message: tooLong
        ? 'The note is too long: keep it under 500 characters.'
        : 'Choose what the complaint is about.',
    };
  }
  const sale = await db.sales.get(parsed.data.saleId);
  if (!sale) {
    return { ok: false, code: 'unknown-sale', message: 'That sale is not on this till.' };
  }
  const device = await getSetting(db, 'device');
  if (!device) {
    return { ok: false, code: 'not-set-up', message: 'This till is not set up yet.' };
  }
  const complaint = await db.transaction(
    'rw',
    [db.settings, db.complaints, db.outbox],
    async () => {
      const counters = await nextCounters(db, false);
      const id = newId(now.getTime());
      const payload = complaintSchema.parse({ ...parsed.data, deviceId: device.deviceId });
      const row: ComplaintRow = { ...payload, id, createdAt: now.toISOString() };
      await db.complaints.add(row);
      await db.outbox.add({
        seq: counters.seq,
        eventId: id,
        type: 'complaint.logged',
        createdAt: row.createdAt,
        payload,
      });
      return row;
    },
  );
  return { ok: true, complaint };
}

/** Complaints logged here against one sale, newest first. */
export async function complaintsForSale(db: PosDb, saleId: string): Promise<ComplaintRow[]> {
  const rows = await db.complaints.where('saleId').equals(saleId).toArray();
  return rows.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
