// "Offers link": a member's personal offers page as a QR they scan with their phone to claim member offers (a manager's ledger session fetches it).
import { useState } from 'react';
import type { Member } from '../../../shared/members';
import type { MemberLink } from '../../../shared/public-links';
import { posDb } from '../../db/instance';
import { fetchMemberLink } from './public-link-calls';
import { QrScreen } from './QrScreen';

interface Props {
  storeId: string;
  member: Member;
}

export function OffersLinkButton({ storeId, member }: Props) {
  const [busy, setBusy] = useState(false);
  const [link, setLink] = useState<MemberLink | null>(null);
  const [why, setWhy] = useState<string | null>(null);

  const show = async () => {
    setBusy(true);
    setWhy(null);
    const result = await fetchMemberLink(posDb, storeId, member.id);
    setBusy(false);
    if (result.ok) setLink(result.value);
    else setWhy(result.message);
  };

  return (
    <>
      <button type="button" className="btn" disabled={busy} onClick={() => void show()}>
        {busy ? 'Asking the ledger…' : 'Offers link'}
      </button>
      {why && (
        <p className="error offers-link-why" role="alert">
          {why}
        </p>
      )}
      {link && (
        <QrScreen
          label={`Offers link of ${member.name}`}
          url={link.url}
          onClose={() => setLink(null)}
        >
          <h2>Scan for your member offers</h2>
          <p>
            Point your phone's camera at the code: it opens your own offers page, where one tap
            claims a code to use at any till. Keep the link to yourself — it is yours alone.
          </p>
        </QrScreen>
      )}
    </>
  );
}
