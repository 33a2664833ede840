// Looks for stall hubs on this computer's network (DNS-SD over mDNS) for a few seconds: the device host's and Electron's `hubs-find`.

import { isIPv4 } from 'node:net';
import { Bonjour, type Service } from 'bonjour-service';
import {
  type FoundHub,
  HUB_SERVICE_TYPE,
  type HubSearchResult,
  hubTxtSchema,
} from '../shared/hub-discovery';

export const HUB_SEARCH_MS = 3_000;

/** The hub behind one answer, or null when its TXT record is not a PopTill hub's (ignored). */
function toFoundHub(service: Service): FoundHub | null {
  const txt = hubTxtSchema.safeParse(service.txt ?? {});
  if (!txt.success) return null;
  // An IPv4 address of the hub's own records first; else the address the answer came from.
  const address =
    service.addresses?.find((a) => isIPv4(a)) ??
    (service.referer?.family === 'IPv4' ? service.referer.address : undefined);
  if (!address || !Number.isInteger(service.port) || service.port <= 0) return null;
  return { name: txt.data.hub, storeId: txt.data.store, url: `http://${address}:${service.port}` };
}

/** Browses for `searchMs`; hubs that answered are listed once each, by address. */
export function findHubs(searchMs = HUB_SEARCH_MS): Promise<HubSearchResult> {
  return new Promise((resolve) => {
    const found = new Map<string, FoundHub>();
    let failure: string | null = null;
    const bonjour = new Bonjour({}, (error: unknown) => {
      failure ??= error instanceof Error ? error.message : String(error);
    });
    const browser = bonjour.find({ type: HUB_SERVICE_TYPE }, (service) => {
      const hub = toFoundHub(service);
      if (hub) found.set(hub.url, hub);
    });
    setTimeout(() => {
      browser.stop();
      bonjour.destroy(() => {
        if (failure && found.size === 0)
          resolve({
            ok: false,
            code: 'lan-search-unavailable',
            message: `This computer cannot search its network for stall hubs (${failure}). Type the hub's address instead.`,
          });
        else resolve({ ok: true, hubs: [...found.values()], searchedMs: searchMs });
      });
    }, searchMs);
  });
}
