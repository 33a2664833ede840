// A receipt document drawn on screen line for line as the printer lays it out (sale and return receipts alike).
import {
  type ReceiptBlock,
  type ReceiptDocument,
  type ReceiptWidth,
  receiptText,
} from '../../../shared/receipt';
import { ReceiptCode } from './ReceiptCode';

/** Rows whose amount tests and people look for: receipt number, total and change; a return's number and refund total. */
function rowTestId(b: Extract<ReceiptBlock, { kind: 'row' }>): string | undefined {
  if (b.left === 'Receipt' && !b.bold) return 'receipt-number';
  if (b.left === 'Total' && b.bold && b.size === 'tall') return 'receipt-total';
  if (b.left === 'Change' && b.bold) return 'receipt-change';
  if (b.left === 'Return' && !b.bold) return 'return-receipt-number';
  if (b.left === 'Refund total' && b.bold) return 'return-refund-total';
  return undefined;
}

/** One block's lines exactly as the paper shows them. */
function paperLines(doc: ReceiptDocument, block: ReceiptBlock): string[] {
  return receiptText({ ...doc, blocks: [block] });
}

function Block({ doc, block }: { doc: ReceiptDocument; block: ReceiptBlock }) {
  switch (block.kind) {
    case 'text': {
      const cls = `paper-line${block.bold ? ' paper-bold' : ''} paper-${block.size}`;
      return paperLines(doc, block).map((line, i) => {
        // Double-width text: the lead-in spaces are ordinary columns, the characters take two.
        const text = line.trimStart();
        const lead = line.slice(0, line.length - text.length);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: a block's lines never reorder
          <div key={i} className={cls}>
            {lead}
            <span className="paper-text">{text || '\u00a0'}</span>
          </div>
        );
      });
    }
    case 'row': {
      const testId = rowTestId(block);
      const cls = `paper-line${block.bold ? ' paper-bold' : ''} paper-${block.size}`;
      return block.lines.map((line, i) => {
        const withAmount = i === 0 && testId && block.right && line.endsWith(block.right);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: a block's lines never reorder
          <div key={i} className={cls}>
            {withAmount ? (
              <>
                {line.slice(0, line.length - block.right.length)}
                <span data-testid={testId}>{block.right}</span>
              </>
            ) : (
              line
            )}
          </div>
        );
      });
    }
    case 'rule':
    case 'tax-table':
    case 'feed':
      return paperLines(doc, block).map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a block's lines never reorder
        <div key={i} className="paper-line">
          {line || '\u00a0'}
        </div>
      ));
    case 'code':
      return <ReceiptCode symbology={block.symbology} data={block.data} />;
    case 'cut':
      return <div className="paper-cut" aria-hidden="true" />;
    case 'drawer-kick':
      return null;
  }
}

/** The document's blocks on a paper-like card `width` columns wide; nothing while `doc` is loading. */
export function PaperDocument({
  doc,
  label,
  width,
}: {
  doc: ReceiptDocument | null;
  label: string;
  width: ReceiptWidth;
}) {
  return (
    <article
      className="receipt paper"
      aria-label={label}
      style={{ width: `calc(${width}ch + 2.5rem)` }}
    >
      {doc?.blocks.map((block, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the document's blocks are in print order and never reorder
        <Block key={i} doc={doc} block={block} />
      ))}
    </article>
  );
}
