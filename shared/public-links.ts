// The addresses a till shows customers as QR codes: a member's personal offers page and the store's public drop page (its stall sign).
import { z } from 'zod';

const absoluteUrl = z.url({ protocol: /^https?$/ });

/** `GET /api/v1/stores/:storeId/members/:memberId/link`: the path under the ledger, and the full address phones open. */
export const memberLinkSchema = z.object({ path: z.string().startsWith('/m/'), url: absoluteUrl });
export type MemberLink = z.infer<typeof memberLinkSchema>;

/** `GET /api/v1/stores/:storeId/public-page`: the drop page phones open (the sign's QR) and the printable sign. */
export const storePublicPageSchema = z.object({ storePage: absoluteUrl, sign: absoluteUrl });
export type StorePublicPage = z.infer<typeof storePublicPageSchema>;
