// The words and colour of the sync pill from the sync status: online means the ledger answers, and green never shows with anything waiting.
import { PROBLEM_LABEL, type SyncProblem } from './problems';

export interface PillInput {
  unsyncedSales: number;
  unsyncedFacts: number;
  rejected: number;
  lastSuccessAt: string | null;
  problem: SyncProblem | null;
  needsEnrolment: boolean;
  /** When the ledger stopped answering; null while it answers. */
  offlineSince: string | null;
}

export interface PillText {
  /** ok: green (online, nothing waits); waiting: amber (something waits or the ledger is away); bad: red (needs a person). */
  level: 'ok' | 'waiting' | 'bad';
  parts: string[];
}

/** "just now", "3 min ago", "2 h ago". */
export function ago(iso: string | null, now: number): string {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

/** The hour and minute in the store's locale and time zone ("14:05"), with the day when it is not today there. */
export function clockTime(
  iso: string,
  now: number,
  store: { locale: string; timeZone: string },
): string {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: store.timeZone, dateStyle: 'short' });
  const sameDay = day.format(new Date(iso)) === day.format(new Date(now));
  return new Intl.DateTimeFormat(store.locale, {
    timeZone: store.timeZone,
    hour: '2-digit',
    minute: '2-digit',
    ...(sameDay ? {} : { day: 'numeric', month: 'short' }),
  }).format(new Date(iso));
}

export function pillText(
  s: PillInput,
  now: number,
  store: { locale: string; timeZone: string },
): PillText {
  const waiting = s.unsyncedSales;
  const offline = s.offlineSince !== null;
  const others = Math.max(0, s.unsyncedFacts - s.unsyncedSales);
  const level =
    s.needsEnrolment || s.rejected > 0
      ? 'bad'
      : s.unsyncedFacts > 0 || offline || s.problem
        ? 'waiting'
        : 'ok';
  // Facts are waiting and the last attempt did not get them through: say why, not "synced".
  // Offline already says why (the ledger does not answer), so only other problems are named.
  const unanswered = s.problem?.code === 'unreachable' || s.problem?.code === 'not-answering';
  const stuck =
    !s.needsEnrolment && s.unsyncedFacts > 0 && !(offline && unanswered) ? s.problem : null;
  // What needs attention first, so a narrow bar cuts off the least important part.
  const parts = [
    ...(s.needsEnrolment ? ['till must be enrolled again'] : []),
    `${waiting} unsynced ${waiting === 1 ? 'sale' : 'sales'}`,
    // Shifts, voids, returns…: amber with "0 unsynced sales" must still say what waits.
    ...(others > 0 ? [`${others} other ${others === 1 ? 'record' : 'records'} to send`] : []),
    ...(s.rejected > 0 ? [`${s.rejected} refused by the ledger`] : []),
    ...(stuck ? [`not sent: ${PROBLEM_LABEL[stuck.code]}`] : []),
    ...(s.needsEnrolment || stuck || offline ? [] : [`synced ${ago(s.lastSuccessAt, now)}`]),
    offline ? `Offline since ${clockTime(s.offlineSince!, now, store)}` : 'Online',
  ];
  return { level, parts };
}
