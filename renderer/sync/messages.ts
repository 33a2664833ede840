// Messages between the UI and the sync worker.
import { z } from 'zod';

export const syncCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), token: z.string().nullable() }),
  z.object({ type: z.literal('sync-now'), id: z.number() }),
  z.object({ type: z.literal('stop') }),
]);
export type SyncCommand = z.infer<typeof syncCommandSchema>;

export const syncReplySchema = z.object({
  type: z.literal('synced'),
  id: z.number(),
  outcome: z.enum(['synced', 'standalone', 'needs-enrolment', 'failed']),
});
