// A manager's override of a returns-policy refusal: who approved it and why, recorded on the return fact.
import type { z } from 'zod';
import type { ReturnRefusal, ReturnTier } from './policy';
import { type RefundMethod, returnOverrideSchema } from './return-fact';

export type ReturnOverride = z.infer<typeof returnOverrideSchema>;

export type OverrideResult =
  | {
      ok: true;
      tier: ReturnTier;
      methods: RefundMethod[];
      windowEnds: string;
      basis: 'override';
      /** What the return fact records (`saleReturned.override`). */
      override: ReturnOverride;
    }
  | { ok: false; code: 'not-overridable' | 'override-invalid'; message: string };

/**
 * A manager's approval of a refusal: the line may then go back by its tier's methods (or the
 * policy's override methods where the tier allows none); the approval and its reason are recorded.
 */
export function applyOverride(refusal: ReturnRefusal, approval: unknown): OverrideResult {
  if (!refusal.overridable) {
    return {
      ok: false,
      code: 'not-overridable',
      message: `A manager cannot override this: ${refusal.message}`,
    };
  }
  const parsed = returnOverrideSchema.safeParse(approval);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      code: 'override-invalid',
      message: issue?.path[0] === 'reason' ? issue.message : 'The approving manager is missing.',
    };
  }
  const { tier, methods, windowEnds } = refusal.overridable;
  return { ok: true, tier, methods, windowEnds, basis: 'override', override: parsed.data };
}
