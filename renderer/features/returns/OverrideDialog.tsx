// A manager overrides a returns-policy refusal: their PIN and a reason, both recorded on the return.
import { useState } from 'react';
import type { ReturnOverride } from '../../../shared/returns/override';
import { posDb } from '../../db/instance';
import { Dialog, FormFooter } from '../../ui/Dialog';
import { PinPad } from '../login/PinPad';
import { approveByManager, OVERRIDE_REASON_MIN } from './manager-approval';

interface Props {
  /** The refusals being overridden, in plain words. */
  refusals: string[];
  onApprove: (override: ReturnOverride) => void;
  onClose: () => void;
}

export function OverrideDialog({ refusals, onApprove, onClose }: Props) {
  const [reason, setReason] = useState('');
  const [step, setStep] = useState<'reason' | 'pin'>('reason');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const approve = async (pin: string) => {
    setBusy(true);
    setError(null);
    const result = await approveByManager(posDb, pin, reason);
    setBusy(false);
    if (!result.ok) return setError(result.message);
    onApprove({ approvedBy: result.manager.id, reason: reason.trim() });
  };

  return (
    <Dialog title="Manager override" onClose={onClose}>
      <ul className="override-refusals">
        {refusals.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
      {step === 'reason' ? (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim().length < OVERRIDE_REASON_MIN) {
              return setError('Say why the policy is overridden (at least 3 characters).');
            }
            setError(null);
            setStep('pin');
          }}
        >
          <label>
            Reason for the override
            <input
              value={reason}
              maxLength={200}
              onChange={(e) => {
                setReason(e.target.value);
                setError(null);
              }}
            />
          </label>
          <FormFooter error={error} onCancel={onClose} submit="Next: manager PIN" />
        </form>
      ) : (
        <>
          <p className="muted">Reason: {reason.trim()}</p>
          <PinPad
            label="Manager PIN"
            busy={busy}
            error={error}
            onSubmit={(pin) => void approve(pin)}
            onCancel={() => setStep('reason')}
          />
        </>
      )}
    </Dialog>
  );
}
