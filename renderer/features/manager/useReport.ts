// Loads a report when its inputs change, keeps the last answer, and can be asked to load again.
import { useCallback, useEffect, useRef, useState } from 'react';

export type ReportState<T> =
  | { status: 'loading'; value: T | null }
  | { status: 'done'; value: T }
  | { status: 'failed'; value: T | null; message: string };

export function useReport<T>(
  load: () => Promise<{ ok: true; value: T } | { ok: false; message: string }>,
  deps: readonly unknown[],
): ReportState<T> & { reload: () => void } {
  const [state, setState] = useState<ReportState<T>>({ status: 'loading', value: null });
  const [tick, setTick] = useState(0);
  const run = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what the load depends on
  useEffect(() => {
    const mine = ++run.current;
    setState((s) => ({ status: 'loading', value: s.value }));
    load().then(
      (r) => {
        if (run.current !== mine) return;
        setState((s) =>
          r.ok
            ? { status: 'done', value: r.value }
            : { status: 'failed', value: s.value, message: r.message },
        );
      },
      (e: unknown) => {
        if (run.current !== mine) return;
        console.error('report failed to load', e);
        setState((s) => ({
          status: 'failed',
          value: s.value,
          message: 'The report could not be made. Try again.',
        }));
      },
    );
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
