// The wrong-PIN lock as the screen shows it: seconds left, counted down live (the lock itself is kept in the database).
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { lockRemainingMs, noLockout } from '../../../shared/pin';
import { getSetting } from '../../db/db';
import { posDb } from '../../db/instance';

/** Whole seconds until PINs are checked again (0 when not locked). */
export function useLockoutSeconds(): number {
  const lockout = useLiveQuery(() => getSetting(posDb, 'lockout'), []);
  const [now, setNow] = useState(Date.now());
  const locked = lockRemainingMs(lockout ?? noLockout, now) > 0;
  useEffect(() => {
    setNow(Date.now());
    const until = lockout?.lockedUntil;
    if (!until || until <= Date.now()) return;
    const t = setInterval(() => {
      const at = Date.now();
      setNow(at);
      if (at >= until) clearInterval(t);
    }, 250);
    return () => clearInterval(t);
  }, [lockout?.lockedUntil]);
  return locked ? Math.ceil(lockRemainingMs(lockout ?? noLockout, now) / 1000) : 0;
}
