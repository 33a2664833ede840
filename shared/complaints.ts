// Complaints logged against a past sale (counted in the 14 days after a drop).
import { z } from 'zod';

export const COMPLAINT_CATEGORIES = [
  'quality',
  'sizing',
  'damaged',
  'late',
  'service',
  'other',
] as const;

export const complaintSchema = z.object({
  saleId: z.string().min(1),
  deviceId: z.string().min(1),
  category: z.enum(COMPLAINT_CATEGORIES),
  note: z.string().trim().max(500),
  staffId: z.string().min(1),
});
export type Complaint = z.infer<typeof complaintSchema>;
