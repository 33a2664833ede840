// Why a sync did not get through, as a stable code and the words Settings and the status pill show.
import type { Failure } from './client';

export type SyncProblemCode =
  | 'unreachable'
  | 'not-answering'
  | 'ledger-fault'
  | 'busy'
  | 'refused'
  | 'too-large'
  | 'not-understood'
  | 'till-fault'
  | 'needs-enrolment';

export interface SyncProblem {
  code: SyncProblemCode;
  message: string;
}

function inSeconds(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  return s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
}

/**
 * A failed call to the ledger in the stall's words. None of these is a verdict on a fact:
 * the till keeps every fact in its outbox and sends the same ones again after `retryInMs`.
 */
export function describeFailure(
  failure: Failure,
  status: number | undefined,
  ledgerMessage: string,
  retryInMs: number,
): SyncProblem {
  const retry = `retrying in ${inSeconds(retryInMs)}`;
  switch (failure) {
    case 'network':
      return {
        code: 'unreachable',
        message: `The ledger cannot be reached — sales are kept on this till, ${retry}.`,
      };
    case 'timeout':
      return { code: 'not-answering', message: `The ledger is not answering, ${retry}.` };
    case 'server':
      return {
        code: 'ledger-fault',
        message: `The ledger has a fault (HTTP ${status ?? 500}), ${retry}.`,
      };
    case 'rate-limited':
      return { code: 'busy', message: `The ledger is busy, ${retry}.` };
    case 'too-large':
      return {
        code: 'too-large',
        message: `The ledger refuses a fact this till sends as too large — update PopTill (${retry}).`,
      };
    case 'conflict':
      // Two pushes from this till crossed at the ledger (or it holds the device as inactive).
      return { code: 'busy', message: `The ledger says: “${ledgerMessage}” — ${retry}.` };
    case 'bad-response':
      return {
        code: 'not-understood',
        message: `The ledger answers in a way this till does not understand — update PopTill (${retry}).`,
      };
    case 'unauthorized':
      return {
        code: 'needs-enrolment',
        message: 'The ledger no longer accepts this till: a manager must enrol it again.',
      };
    default:
      // 400, 403, 404, 409…: the ledger refused the whole batch, not a fact in it.
      return {
        code: 'refused',
        message: `The ledger refuses this till's data — update PopTill. It said: “${ledgerMessage}” (${retry}).`,
      };
  }
}

/** Something on this till went wrong while syncing (logged); its facts stay queued. */
export function tillFault(detail: string, retryInMs: number): SyncProblem {
  return {
    code: 'till-fault',
    message: `This till could not sync (${detail.slice(0, 200)}) — its facts are kept, retrying in ${inSeconds(retryInMs)}.`,
  };
}

/** A few words for the status pill, where the full message does not fit (it is the pill's title). */
export const PROBLEM_LABEL: Record<SyncProblemCode, string> = {
  unreachable: 'ledger unreachable',
  'not-answering': 'ledger not answering',
  'ledger-fault': 'ledger fault',
  busy: 'ledger busy',
  refused: 'refused — update PopTill',
  'too-large': 'refused — update PopTill',
  'not-understood': 'update PopTill',
  'till-fault': 'fault on this till',
  'needs-enrolment': 'till must be enrolled again',
};
