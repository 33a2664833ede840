// The sell screen's drop wiring: live drop data, the identified member, and the cart's drop guard kept current.
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useMemo } from 'react';
import { findLiveDrop } from '../../../shared/drops';
import type { Member } from '../../../shared/members';
import { getSetting } from '../../db/db';
import type { DropData } from '../../db/drops-repo';
import { useStoreSettings } from '../../db/hooks';
import { posDb } from '../../db/instance';
import { useCart } from '../../state/cart';
import { type ItemStatus, itemStatus, makeDropGuard } from './drop-till';
import { useDropData, useNow } from './useDropData';

export interface DropSelling {
  data: DropData | undefined;
  now: Date;
  timeZone: string;
  /** The member identified for this sale (null: anonymous or not found on this till). */
  member: Member | null;
  /** Linked to a ledger (asking for more units is possible when it answers). */
  linked: boolean;
  /** What a product tile shows when the SKU is in a live or upcoming drop. */
  tile: (sku: string) => (ItemStatus & { dropName: string }) | null;
}

export function useDropSelling(): DropSelling {
  const data = useDropData();
  const now = useNow();
  const store = useStoreSettings();
  const timeZone = store?.timeZone ?? 'UTC';
  const memberId = useCart((s) => s.memberId);
  const lines = useCart((s) => s.lines);
  const member =
    useLiveQuery(
      async () => (memberId ? ((await posDb.members.get(memberId)) ?? null) : null),
      [memberId],
    ) ?? null;
  const linked = useLiveQuery(async () => (await getSetting(posDb, 'mode')) === 'ledger', []);

  // The guard reads the clock when asked, so a window opening mid-sale counts at once.
  useEffect(() => {
    if (!data) return;
    useCart.getState().setDropGuard(makeDropGuard(data, member, timeZone, () => new Date()));
  }, [data, member, timeZone]);
  useEffect(() => () => useCart.getState().setDropGuard(null), []);

  const tile = useMemo(
    () => (sku: string) => {
      if (!data) return null;
      const found = findLiveDrop(data.drops, sku, now);
      if (!found) return null;
      return { ...itemStatus(data, found.drop, found.item, lines, now), dropName: found.drop.name };
    },
    [data, lines, now],
  );
  return { data, now, timeZone, member, linked: linked ?? false, tile };
}
