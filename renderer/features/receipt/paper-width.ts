// The paper the system print dialog uses for receipts when this till has no receipt printer (58 or 80 mm, a till setting kept in this browser), and the receipt width that follows from it.
import { useSyncExternalStore } from 'react';
import type { ReceiptWidth } from '../../../shared/receipt';
import { defaultPrinter, usePrintQueue } from '../printing/print-queue';

export type PaperWidthMm = 58 | 80;

const KEY = 'poptill.systemPrintPaperMm';
const listeners = new Set<() => void>();

function read(): PaperWidthMm {
  try {
    return localStorage.getItem(KEY) === '58' ? 58 : 80;
  } catch {
    // Storage can be blocked (private windows): the common 80 mm roll.
    return 80;
  }
}

export function setSystemPaperWidth(mm: PaperWidthMm): void {
  try {
    localStorage.setItem(KEY, String(mm));
  } catch (e) {
    console.warn('The paper width could not be kept on this till', e);
  }
  for (const l of listeners) l();
}

/** The system print dialog's paper width (80 mm unless this till chose 58 mm). */
export function useSystemPaperWidth(): PaperWidthMm {
  return useSyncExternalStore(
    (onChange) => {
      listeners.add(onChange);
      const onStorage = (e: StorageEvent) => e.key === KEY && onChange();
      window.addEventListener('storage', onStorage);
      return () => {
        listeners.delete(onChange);
        window.removeEventListener('storage', onStorage);
      };
    },
    read,
    () => 80,
  );
}

/** Paper width → characters per line, as the receipt printer prints them. */
export function columnsFor(paperWidthMm: PaperWidthMm | undefined): ReceiptWidth {
  return paperWidthMm === 58 ? 32 : 48;
}

/** Receipt columns on this till: the default receipt printer's paper, else the print dialog's. */
export function useReceiptColumns(): ReceiptWidth {
  const printers = usePrintQueue((s) => s.printers);
  const system = useSystemPaperWidth();
  return columnsFor(defaultPrinter(printers, 'receipt')?.paperWidthMm ?? system);
}
