// Barcode scanners type like a fast keyboard and press Enter: catch that anywhere on the sell screen.
import { useEffect, useRef } from 'react';
import { takePromoScan } from '../promos/promo-scan';

/** Slow typing that is not a scan goes to the search box after this pause. */
const HAND_TYPING_PAUSE_MS = 300;

function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Keys typed while no text field has focus are buffered. Enter hands the buffer
 * to `onCode` (a scan, or a code typed by hand); a pause hands it to `onTyped`
 * (someone started typing a search). Inactive while `enabled` is false (a dialog is open).
 * With `promoCodes` false (a screen with no cart, e.g. Returns) a promo code is just a code.
 */
export function useScanner(
  enabled: boolean,
  onCode: (code: string) => void,
  onTyped: (text: string) => void,
  promoCodes = true,
) {
  const buffer = useRef('');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const handlers = useRef({ onCode, onTyped });
  handlers.current = { onCode, onTyped };

  useEffect(() => {
    if (!enabled) return;
    const flush = () => {
      const text = buffer.current;
      buffer.current = '';
      if (text) handlers.current.onTyped(text);
    };
    const onKey = (e: KeyboardEvent) => {
      if (isTextField(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'Enter' && buffer.current) {
        e.preventDefault();
        clearTimeout(timer.current);
        const code = buffer.current;
        buffer.current = '';
        // A scanned promo code or promo QR goes to the cart's promo code, not the product lookup.
        if (!promoCodes || !takePromoScan(code)) handlers.current.onCode(code);
      } else if (e.key.length === 1 && e.key !== ' ') {
        e.preventDefault();
        buffer.current += e.key;
        clearTimeout(timer.current);
        timer.current = setTimeout(flush, HAND_TYPING_PAUSE_MS);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      clearTimeout(timer.current);
      buffer.current = '';
    };
  }, [enabled, promoCodes]);
}

/**
 * A scanner types each character within a few milliseconds; a person takes a tenth of a second or
 * more. Judged on the median gap between keys, so a busy laptop that holds up one or two key events
 * (a re-render, a sync transaction) does not turn a scan into typing.
 */
const SCANNER_KEY_GAP_MS = 50;

/** Whether keys pressed at these times (ms, in order) came at a scanner's speed: at least 4 keys. */
export function atScannerSpeed(times: readonly number[]): boolean {
  if (times.length < 4) return false;
  const gaps = times
    .slice(1)
    .map((t, i) => t - times[i]!)
    .sort((a, b) => a - b);
  const mid = gaps.length >> 1;
  const median = gaps.length % 2 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2;
  return median < SCANNER_KEY_GAP_MS;
}

/**
 * For a text field: whether what is in it came at a scanner's speed. Hand `onKeyDown` to the
 * field; `scanned()` answers for the text typed since the field was last emptied (`reset`).
 */
export function useScanTiming() {
  const keys = useRef<number[]>([]);
  return {
    onKeyDown: (e: { key: string; timeStamp: number }) => {
      if (e.key.length === 1) keys.current.push(e.timeStamp);
    },
    scanned: (): boolean => atScannerSpeed(keys.current),
    reset: () => {
      keys.current = [];
    },
  };
}
