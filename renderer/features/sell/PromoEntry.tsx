// The cart's promo code: type or scan one (a product barcode or member card scanned here is that, not a code), see what it takes off and why (or why not), and a member's one-tap offer.
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useStoreSettings } from '../../db/hooks';
import { posDb } from '../../db/instance';
import { issuable } from '../../db/promo-issue-repo';
import type { CartPromo } from '../../db/promo-repo';
import { useCart } from '../../state/cart';
import { useSession } from '../../state/session';
import { useMoney } from '../../ui/money';
import { useMemberClaim } from '../promos/member-claim';
import { looksLikePromoCode } from '../promos/promo-scan';
import { takeScannedCode } from './scanned-code';
import { useScanTiming } from './useScanner';
import './promo.css';

/** Active member or tier campaigns the identified member can claim with one tap. */
function useMemberOffers(memberId: string | null) {
  return useLiveQuery(async () => {
    if (!memberId) return [];
    const member = await posDb.members.get(memberId);
    if (!member) return [];
    return issuable(await posDb.campaigns.toArray(), new Date()).filter(
      (c) =>
        c.audience.kind === 'members' ||
        (c.audience.kind === 'tier' && member.tiers.includes(c.audience.tier)),
    );
  }, [memberId]);
}

export function PromoEntry({ promo, hasItems }: { promo: CartPromo; hasItems: boolean }) {
  const money = useMoney();
  const promoCode = useCart((s) => s.promoCode);
  const memberId = useCart((s) => s.memberId);
  const claimed = useMemberClaim((s) => s.campaignId);
  const offers = useMemberOffers(memberId);
  const storeId = useStoreSettings()?.storeId;
  const [text, setText] = useState('');
  const timing = useScanTiming();
  const notify = useSession((s) => s.notify);
  const clear = () => {
    useCart.getState().setPromoCode(null);
    useMemberClaim.getState().claim(null);
    setText('');
  };

  if (promoCode || claimed) {
    const label = promo.state === 'applied' ? (promo.code ?? 'Member offer') : promoCode;
    return (
      <section className="promo-entry" aria-label="Promo">
        <div className="promo-applied">
          <span className="promo-code" data-testid="promo-code">
            {promo.state === 'applied' && promo.via === 'member' ? 'Member discount' : label}
          </span>
          {promo.state === 'applied' && (
            <span className="promo-amount" data-testid="promo-discount">
              −{money(promo.total)}
            </span>
          )}
          <button
            type="button"
            className="btn-icon"
            aria-label="Remove the promo code"
            onClick={clear}
          >
            ×
          </button>
        </div>
        {promo.state === 'applied' && (
          <p className="muted promo-why" data-testid="promo-reason">
            {promo.campaign.name}: {promo.reason}
          </p>
        )}
        {promo.state === 'refused' && (
          <p className="error promo-why" role="alert" data-testid="promo-refused">
            {promo.message}
          </p>
        )}
      </section>
    );
  }

  return (
    <section className="promo-entry" aria-label="Promo">
      <form
        className="promo-form-row"
        onSubmit={async (e) => {
          e.preventDefault();
          const code = text.trim();
          const scanned = timing.scanned();
          timing.reset();
          if (!code) return;
          setText('');
          // A product's barcode (or a member's card) scanned while the cursor was here is that,
          // never a bad promo code; an unknown one scanned here is said to be unknown.
          if (!looksLikePromoCode(code)) {
            if (await takeScannedCode(code, storeId)) return;
            if (scanned) {
              notify(`No product with barcode or SKU “${code}” — the cart is unchanged.`, 'error');
              return;
            }
          }
          // The box shows the code while it is on the cart; once parked or paid, it starts empty.
          useCart.getState().setPromoCode(code);
        }}
      >
        <input
          aria-label="Promo code"
          placeholder="Promo code"
          autoCapitalize="characters"
          spellCheck={false}
          value={text}
          onKeyDown={timing.onKeyDown}
          onChange={(e) => {
            if (e.target.value === '') timing.reset();
            setText(e.target.value);
          }}
        />
        <button type="submit" className="btn btn-small" disabled={!text.trim()}>
          Apply code
        </button>
      </form>
      {hasItems &&
        offers?.map((c) => (
          <button
            key={c.id}
            type="button"
            className="btn btn-small promo-member"
            onClick={() => useMemberClaim.getState().claim(c.id)}
          >
            Member discount · {c.name}
          </button>
        ))}
    </section>
  );
}
