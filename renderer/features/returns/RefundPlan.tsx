// How the money goes back for the chosen method: card parts (each with the terminal's refund reference), cash from the drawer, or store credit.
import type { RefundPart } from '../../../shared/returns/refund-tenders';
import { useMoney } from '../../ui/money';

interface Props {
  parts: RefundPart[];
  /** One terminal refund reference per card part, in order. */
  references: string[];
  onReference: (index: number, reference: string) => void;
}

export function RefundPlan({ parts, references, onReference }: Props) {
  const money = useMoney();
  let cardIndex = -1;
  return (
    <ul className="refund-plan" aria-label="How the money goes back">
      {parts.map((part, i) => {
        if (part.kind === 'card') {
          cardIndex += 1;
          const at = cardIndex;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: the plan is recomputed whole, never reordered
            <li key={i}>
              <p>
                <strong>{money(part.amount)}</strong> to card
                {part.originalReference
                  ? ` (paid with terminal reference ${part.originalReference})`
                  : ''}
                : refund it on the card terminal, then enter the terminal's refund reference.
              </p>
              <label>
                Refund reference for {money(part.amount)} to card
                <input
                  value={references[at] ?? ''}
                  maxLength={40}
                  autoComplete="off"
                  onChange={(e) => onReference(at, e.target.value)}
                />
              </label>
            </li>
          );
        }
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: the plan is recomputed whole, never reordered
          <li key={i}>
            <strong>{money(part.amount)}</strong>{' '}
            {part.kind === 'cash'
              ? 'cash from the drawer'
              : 'as store credit (a credit note the customer spends at any till)'}
          </li>
        );
      })}
    </ul>
  );
}
