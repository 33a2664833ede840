// A report (the end-of-day Z report) as lines for a receipt printer: the request the bridge takes and its receipt-width document.
import { z } from 'zod';
import {
  fitRow,
  printableText,
  type ReceiptBlock,
  type ReceiptDocument,
  type ReceiptWidth,
  wrap,
} from './receipt';

export const reportLineSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('heading'), text: z.string().max(200) }),
  z.object({ kind: z.literal('text'), text: z.string().max(400) }),
  /** A label and a value: the value right-aligned, the label wrapping below itself. */
  z.object({ kind: z.literal('row'), left: z.string().max(200), right: z.string().max(60) }),
  z.object({ kind: z.literal('rule') }),
]);
export type ReportLine = z.infer<typeof reportLineSchema>;

export const reportPrintRequestSchema = z.object({
  /** Shown in the print queue, e.g. "Z report 2026-12-02". */
  title: z.string().trim().min(1).max(60),
  lines: z.array(reportLineSchema).min(1).max(2_000),
  /** Omit for the default receipt printer. */
  printerId: z.string().optional(),
});
export type ReportPrintRequest = z.input<typeof reportPrintRequestSchema>;

/** The report laid out `width` columns wide (what the screen preview and the printer both show). */
export function reportText(lines: readonly ReportLine[], width: number): string[] {
  return lines.flatMap((line) => {
    switch (line.kind) {
      case 'heading':
      case 'text':
        return wrap(printableText(line.text), width);
      case 'row':
        return fitRow(line.left, line.right, width);
      default:
        return ['-'.repeat(width)];
    }
  });
}

/** A receipt-printer document for the report: headings bold, rows aligned, a cut at the end. */
export function reportDocument(
  request: { title: string; lines: readonly ReportLine[] },
  width: ReceiptWidth,
): ReceiptDocument {
  const blocks: ReceiptBlock[] = request.lines.map((line): ReceiptBlock => {
    switch (line.kind) {
      case 'heading':
        return {
          kind: 'text',
          lines: wrap(printableText(line.text), width),
          align: 'left',
          bold: true,
          size: 'normal',
        };
      case 'text':
        return {
          kind: 'text',
          lines: wrap(printableText(line.text), width),
          align: 'left',
          bold: false,
          size: 'normal',
        };
      case 'row':
        return {
          kind: 'row',
          left: printableText(line.left),
          right: printableText(line.right),
          lines: fitRow(line.left, line.right, width),
          bold: false,
          size: 'normal',
        };
      default:
        return { kind: 'rule', line: '-'.repeat(width) };
    }
  });
  blocks.push({ kind: 'feed', lines: 2 }, { kind: 'cut' });
  return { width, saleId: 'report', receiptNumber: request.title, blocks };
}
