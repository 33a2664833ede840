// The ledger calls behind the till's customer-facing QR codes, with each refusal said in the words a manager acts on.
import {
  type MemberLink,
  memberLinkSchema,
  type StorePublicPage,
  storePublicPageSchema,
} from '../../../shared/public-links';
import type { PosDb } from '../../db/db';
import type { CallResult } from '../../sync/client';
import { managerCall } from '../../sync/manager-session';

export type LinkResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** Why the ledger's answer is not there, for a person at the till (`what`: "The member's offers link"). */
function explain<T>(result: CallResult<T>, what: string): LinkResult<T> {
  if (result.ok) return result;
  switch (result.failure) {
    case 'network':
    case 'timeout':
      return {
        ok: false,
        message: `${what} comes from the ledger, which this till cannot reach now (offline?). Try again once the till is online.`,
      };
    case 'unauthorized':
    case 'forbidden':
      return {
        ok: false,
        message: `Only a manager can show ${what.toLowerCase()}: ${result.message}`,
      };
    case 'not-found':
      return { ok: false, message: `${what} cannot be shown: ${result.message}` };
    default:
      return { ok: false, message: `${what} cannot be shown now: ${result.message}` };
  }
}

export async function fetchMemberLink(
  db: PosDb,
  storeId: string,
  memberId: string,
): Promise<LinkResult<MemberLink>> {
  const path = `/api/v1/stores/${encodeURIComponent(storeId)}/members/${encodeURIComponent(memberId)}/link`;
  return explain(
    await managerCall(db, path, { schema: memberLinkSchema }),
    "The member's offers link",
  );
}

export async function fetchStorePublicPage(
  db: PosDb,
  storeId: string,
): Promise<LinkResult<StorePublicPage>> {
  const path = `/api/v1/stores/${encodeURIComponent(storeId)}/public-page`;
  return explain(
    await managerCall(db, path, { schema: storePublicPageSchema }),
    "The store's drop page address",
  );
}
