// The returns policy's word on the units chosen so far (re-quoted on every change), and each line's tier note up front.
import { useEffect, useState } from 'react';
import type { ReturnOverride } from '../../../shared/returns/override';
import { posDb } from '../../db/instance';
import {
  type FoundSale,
  quoteReturn,
  type ReturnLineInput,
  type ReturnQuote,
} from '../../db/returns-repo';

export interface QuoteState {
  /** null while nothing is chosen (or before the first answer). */
  quote: ReturnQuote | null;
  /** The quote answers the current choice (not an earlier one still on screen while the next is worked out). */
  current: boolean;
  /** Why the quote could not be worked out at all (an unexpected failure), in words. */
  failure: string | null;
  /** Each line's stricter-tier note by line number, known before any unit is chosen. */
  tierNotes: Map<number, string | null>;
}

export function useReturnQuote(
  found: FoundSale,
  lines: ReturnLineInput[],
  override: ReturnOverride | undefined,
): QuoteState {
  // Kept with what it was asked for: an answer to an earlier choice never shows as the current one.
  const [answer, setAnswer] = useState<{ key: string; quote: ReturnQuote } | null>(null);
  const key = JSON.stringify([lines, override ?? null]);
  const [failure, setFailure] = useState<string | null>(null);
  const [tierNotes, setTierNotes] = useState<Map<number, string | null>>(new Map());

  useEffect(() => {
    let live = true;
    if (lines.length === 0) return;
    quoteReturn(posDb, found, lines, { override })
      .then((q) => {
        if (!live) return;
        setAnswer({ key, quote: q });
        setFailure(null);
      })
      .catch((e: unknown) => {
        console.error('Return could not be quoted', e);
        if (live) setFailure(`The refund could not be worked out: ${String(e)}`);
      });
    return () => {
      live = false;
    };
  }, [found, lines, override, key]);

  // A read-only quote of one unit of every line gives each line's tier.
  useEffect(() => {
    let live = true;
    const every = found.sale.lines.map((_, i) => ({
      lineNo: i + 1,
      qty: 1,
      reason: 'changed-mind' as const,
      condition: 'resaleable' as const,
    }));
    quoteReturn(posDb, found, every)
      .then((q) => {
        if (live) setTierNotes(new Map(q.lines.map((l) => [l.lineNo, l.tierNote])));
      })
      .catch((e: unknown) => console.error('Tier notes could not be read', e));
    return () => {
      live = false;
    };
  }, [found]);

  const quote = lines.length > 0 ? (answer?.quote ?? null) : null;
  return { quote, current: quote !== null && answer?.key === key, failure, tierNotes };
}
