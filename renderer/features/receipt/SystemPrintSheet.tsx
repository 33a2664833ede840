// Printing a receipt through the system print dialog (no thermal printer): the same document on a sheet sized to 58 or 80 mm roll paper, the rest of the page hidden.
import { useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import type { ReceiptDocument, ReceiptWidth } from '../../../shared/receipt';
import { PaperDocument } from './PaperDocument';
import './receipt-print.css';

/** Roll width and the side margins most roll drivers keep; the rest is the printable line. */
const PAPER = {
  32: { widthMm: 58, marginMm: 5 },
  48: { widthMm: 80, marginMm: 4 },
  42: { widthMm: 80, marginMm: 4 },
} as const;

const PX_PER_MM = 96 / 25.4;

/**
 * The page size rule, set through the CSSOM: the app's Content-Security-Policy (style-src 'self')
 * refuses a <style> element written at run time, not a constructed stylesheet.
 */
const pageSize = new CSSStyleSheet();

function cleanUp() {
  document.body.classList.remove('print-receipt');
  document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== pageSize);
}

/** Codes are drawn asynchronously: print once every code image on the sheet has loaded (or after 3 s). */
async function codesDrawn(sheet: HTMLElement, doc: ReceiptDocument): Promise<void> {
  const wanted = doc.blocks.filter((b) => b.kind === 'code').length;
  const until = Date.now() + 3000;
  while (Date.now() < until) {
    const imgs = [...sheet.querySelectorAll('img')];
    if (imgs.length >= wanted && imgs.every((i) => i.complete)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Props {
  doc: ReceiptDocument;
  width: ReceiptWidth;
  label: string;
  /** Called once the print dialog has been asked for. */
  onPrinted: () => void;
}

/**
 * Mount to print: the sheet is laid out, the page sized to the receipt's length, then
 * `window.print()`. The page is itself again after printing (`afterprint`) or when the sheet goes.
 */
export function SystemPrintSheet({ doc, width, label, onPrinted }: Props) {
  const sheet = useRef<HTMLDivElement>(null);
  // Printed once per mount, with the document as it was then: a later sync must not print again.
  const job = useRef({ doc, width, onPrinted });
  useEffect(() => {
    let live = true;
    const el = sheet.current;
    const { doc: printing, width: columns } = job.current;
    if (!el) return;
    void codesDrawn(el, printing).then(() => {
      if (!live) return;
      const { widthMm, marginMm } = PAPER[columns];
      // One page as long as the receipt: roll paper has no page breaks.
      const heightMm = Math.ceil(el.getBoundingClientRect().height / PX_PER_MM) + 2 * marginMm;
      pageSize.replaceSync(`@page { size: ${widthMm}mm ${heightMm}mm; margin: ${marginMm}mm; }`);
      if (!document.adoptedStyleSheets.includes(pageSize))
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, pageSize];
      document.body.classList.add('print-receipt');
      window.addEventListener('afterprint', cleanUp, { once: true });
      window.print();
      job.current.onPrinted();
    });
    return () => {
      live = false;
    };
  }, []);
  useEffect(() => cleanUp, []);
  const { widthMm, marginMm } = PAPER[job.current.width];
  return createPortal(
    <div
      className="print-sheet"
      ref={sheet}
      data-testid="print-sheet"
      style={{ width: `${widthMm - 2 * marginMm}mm` }}
    >
      <PaperDocument doc={job.current.doc} label={label} width={job.current.width} />
    </div>,
    document.body,
  );
}
