// Finding a stall hub on the stall's network (mDNS/DNS-SD): what a hub advertises and what a search answers.
import { z } from 'zod';

/** DNS-SD service type a stall hub advertises (`_poptill-ledger._tcp.local`). */
export const HUB_SERVICE_TYPE = 'poptill-ledger';

/** The hub's TXT record: who it is, never a secret (anyone on the network reads it). */
export const hubTxtSchema = z.object({
  store: z.string().min(1).max(80),
  hub: z.string().min(1).max(60),
  api: z.string().regex(/^\/[a-z0-9/]*$/, 'An API path like /api/v1'),
});
export type HubTxt = z.infer<typeof hubTxtSchema>;

export const foundHubSchema = z.object({
  /** The hub's name as its operator gave it (--hub-name). */
  name: z.string(),
  storeId: z.string(),
  /** The address a till pairs with, e.g. http://192.168.1.20:4310. */
  url: z.url({ protocol: /^http$/ }),
});
export type FoundHub = z.infer<typeof foundHubSchema>;

/** `hubs-find`: the hubs that answered within the search time, or why none could be looked for. */
export const hubSearchResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), hubs: z.array(foundHubSchema), searchedMs: z.number() }),
  z.object({
    ok: z.literal(false),
    code: z.literal('lan-search-unavailable'),
    message: z.string(),
  }),
]);
export type HubSearchResult = z.infer<typeof hubSearchResultSchema>;
