// Live drop data for the sell screen and the drop board, and a clock that ticks every second.
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { type DropData, loadDropData } from '../../db/drops-repo';
import { posDb } from '../../db/instance';

/** Re-read whenever a pull, a sale or a sync changes the tables it reads; undefined while loading. */
export function useDropData(): DropData | undefined {
  return useLiveQuery(() => loadDropData(posDb), []);
}

/** The current time, updated every `everyMs` (countdowns, ladder steps by minute, windows opening). */
export function useNow(everyMs = 1_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}
