// Identifying the customer for this sale: member id (their QR), phone or e-mail, looked up on this till by store-salted hash.
import { useState } from 'react';
import type { Member } from '../../../shared/members';
import { findMember } from '../../db/drops-repo';
import { useStoreSettings } from '../../db/hooks';
import { posDb } from '../../db/instance';
import { useCart } from '../../state/cart';
import { Dialog } from '../../ui/Dialog';
import { OffersLinkButton } from '../public-links/OffersLinkButton';

interface Props {
  member: Member | null;
  onClose: () => void;
}

/** "members, subscribers" or "no early-access tier". */
export function tiersText(member: Member): string {
  return member.tiers.length ? member.tiers.join(', ') : 'no early-access tier';
}

export function CustomerDialog({ member, onClose }: Props) {
  const store = useStoreSettings();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { setMember } = useCart.getState();

  const find = async () => {
    if (!store || !text.trim()) return;
    const found = await findMember(posDb, store.storeId, text);
    if (!found.ok) return setError(found.message);
    setMember(found.member.id);
    onClose();
  };

  return (
    <Dialog title="Customer" onClose={onClose}>
      {member && (
        <section className="customer-current" aria-label="Identified customer">
          <p>
            <strong>{member.name}</strong> · {member.id}
            <br />
            <span className="muted">Tiers: {tiersText(member)}</span>
          </p>
          {store && <OffersLinkButton storeId={store.storeId} member={member} />}
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => {
              setMember(null);
              onClose();
            }}
          >
            Clear customer
          </button>
        </section>
      )}
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void find();
        }}
      >
        <label>
          Member id, phone or e-mail
          <input
            value={text}
            autoComplete="off"
            onChange={(e) => {
              setText(e.target.value);
              setError(null);
            }}
          />
        </label>
        <p className="muted">Or scan the member's QR code on the sell screen.</p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="row">
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={!text.trim()}>
            Find member
          </button>
        </div>
      </form>
    </Dialog>
  );
}
