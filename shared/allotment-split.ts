// Fair allotments: how a drop item's unsold units are split over a store's tills when one joins late, and how the Drops screen explains a split.
import { z } from 'zod';

/** One active till of the store as the split sees it. */
export interface TillHolding {
  deviceId: string;
  /** Units the ledger says this till holds (its synced sales already taken off). */
  held: number;
  /**
   * False when the ledger has not heard from the till lately: it may have sold what it holds
   * offline, so none of it is taken back (it keeps at least what it holds).
   */
  reclaimable: boolean;
}

/**
 * The units each till should hold after splitting `unsold` (the item's quantity less what the
 * ledger has seen sold) evenly over `tills`. A till that cannot give units back keeps what it
 * holds; if that is more than an even share, the rest is split over the others. The remainder of
 * an uneven split goes to the tills already holding the most (fewest units move), then in the
 * order given. The targets never add up to more than `unsold`, unless the tills that cannot give
 * back already hold more than that.
 */
export function fairSplit(unsold: number, tills: readonly TillHolding[]): Map<string, number> {
  const targets = new Map<string, number>();
  let open = [...tills];
  let budget = Math.max(0, unsold);
  // Tills that keep more than an even share are taken out, and the share worked out again.
  for (let changed = true; changed && open.length > 0; ) {
    changed = false;
    const share = Math.floor(budget / open.length);
    for (const t of open) {
      if (!t.reclaimable && t.held > share) {
        targets.set(t.deviceId, t.held);
        budget = Math.max(0, budget - t.held);
        changed = true;
      }
    }
    open = open.filter((t) => !targets.has(t.deviceId));
  }
  if (open.length === 0) return targets;
  const share = Math.floor(budget / open.length);
  const extra = budget % open.length;
  const byHeld = open
    .map((t, i) => ({ t, i }))
    .sort((a, b) => b.t.held - a.t.held || a.i - b.i)
    .map(({ t }) => t.deviceId);
  for (const [rank, id] of byHeld.entries()) targets.set(id, share + (rank < extra ? 1 : 0));
  return targets;
}

/** Why a drop's units sit where they do, as the ledger recorded the last automatic split. */
export const splitReasonSchema = z.object({
  /** joined: a till was paired (or pulled holding none); saved: the drop was created or changed. */
  why: z.enum(['joined', 'saved']),
  at: z.iso.datetime(),
  /** The till that joined (why = joined). */
  tillName: z.string().optional(),
  /** How many tills the unsold units were split over. */
  over: z.number().int().min(0),
  /** Tills not heard from lately that kept units they may have sold offline. */
  kept: z.array(z.string()),
});
export type SplitReason = z.infer<typeof splitReasonSchema>;

/** One till's part of one drop item: handed to it (net of returns and take-backs), sold, and left. */
export const tillShareSchema = z.object({
  deviceId: z.string(),
  name: z.string(),
  sku: z.string(),
  allotted: z.number().int(),
  sold: z.number().int().min(0),
  left: z.number().int().min(0),
});
export type TillShare = z.infer<typeof tillShareSchema>;

const JOIN_ACTOR = 'auto:join';

/** The actor of the movements of a split when a till joins: which till, over how many, and who kept units. */
export function joinActor(deviceId: string, over: number, kept: readonly string[]): string {
  return [JOIN_ACTOR, deviceId, String(over), kept.join(',')].join('|');
}

export function readJoinActor(
  actor: string | null,
): { deviceId: string; over: number; kept: string[] } | null {
  const parts = (actor ?? '').split('|');
  if (parts[0] !== JOIN_ACTOR || parts.length !== 4) return null;
  const over = Number(parts[2]);
  if (!parts[1] || !Number.isInteger(over)) return null;
  return { deviceId: parts[1], over, kept: parts[3] ? parts[3].split(',') : [] };
}

/** "Split evenly over 2 tills when Till B joined at 14:02." — `time` formats the instant on the store's clock. */
export function explainSplit(reason: SplitReason, time: (iso: string) => string): string {
  const tills = `${reason.over} ${reason.over === 1 ? 'till' : 'tills'}`;
  const when =
    reason.why === 'joined'
      ? `when ${reason.tillName ?? 'a till'} joined at ${time(reason.at)}`
      : `when the drop was saved at ${time(reason.at)}`;
  const kept =
    reason.kept.length > 0
      ? ` ${reason.kept.join(', ')} kept ${reason.kept.length === 1 ? 'its units: not heard from lately, it' : 'their units: not heard from lately, they'} may have sold them offline.`
      : '';
  return `Unsold units split evenly over ${tills} ${when}.${kept}`;
}
