// On the pay screen: give the customer a next-visit code with this sale (issued offline, printed as a QR on the receipt).
import { useLiveQuery } from 'dexie-react-hooks';
import { describeOffer } from '../../../shared/promo';
import { useStoreSettings } from '../../db/hooks';
import { posDb } from '../../db/instance';
import { issuableHere } from '../../db/promo-issue-repo';
import '../sell/promo.css';

interface Props {
  chosen: readonly string[];
  onChange: (campaignIds: string[]) => void;
  disabled: boolean;
}

export function NextVisitCode({ chosen, onChange, disabled }: Props) {
  const store = useStoreSettings();
  const campaigns = useLiveQuery(() => issuableHere(posDb, new Date()), []);
  const offers = campaigns?.filter((c) => c.audience.kind === 'anyone') ?? [];
  if (offers.length === 0) return null;
  return (
    <fieldset className="pay-issue" disabled={disabled}>
      <legend>Give a next-visit code</legend>
      <div className="row">
        {offers.map((c) => {
          const on = chosen.includes(c.id);
          return (
            <button
              key={c.id}
              type="button"
              className={on ? 'btn btn-small on' : 'btn btn-small'}
              aria-pressed={on}
              onClick={() => onChange(on ? chosen.filter((id) => id !== c.id) : [...chosen, c.id])}
            >
              {c.name} · {describeOffer(c, store?.currency)}
            </button>
          );
        })}
      </div>
      {chosen.length > 0 && (
        <p className="muted">The code prints as a QR on the receipt when the sale completes.</p>
      )}
    </fieldset>
  );
}
