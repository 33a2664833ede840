// Complaints logged against a past sale (counted in the 14 days after a drop).
import { z } from 'zod';
import { idTextSchema, textSchema } from './bounds';

export const COMPLAINT_CATEGORIES = [
  'quality',
  'sizing',
  'damaged',
  'late',
  'service',
  'other',
] as const;

export const complaintSchema = z.object({
  saleId: idTextSchema,
  deviceId: idTextSchema,
  category: z.enum(COMPLAINT_CATEGORIES),
  note: textSchema(500, { allowLineBreaks: true }).trim(),
  staffId: idTextSchema,
});
export type Complaint = z.infer<typeof complaintSchema>;
