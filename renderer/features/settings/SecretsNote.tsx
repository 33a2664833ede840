// The line in Settings that says where this till's device token and promo signing key are kept.
import { useEffect, useState } from 'react';
import { pos } from '../../bridge';
import { posDb } from '../../db/instance';
import { ensurePromoDevice, promoKeyPlace } from '../../db/promo-repo';
import { secretsSentence } from './secrets-note';

export function SecretsNote() {
  const [sentence, setSentence] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void (async () => {
      const shell = window.pos ? 'electron' : 'browser';
      const store = await pos['secret-store-info']();
      // Reading (or moving) the key first, so the sentence says where it is now.
      await ensurePromoDevice(posDb).catch(() => {});
      if (live) setSentence(secretsSentence(shell, store, promoKeyPlace()));
    })();
    return () => {
      live = false;
    };
  }, []);
  return sentence ? (
    <p className="muted" data-testid="secrets-note">
      {sentence}
    </p>
  ) : null;
}
