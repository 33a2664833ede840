// The stall hub says it is here on the stall's network (DNS-SD over mDNS) while it runs, so a till's set-up screen can list it.
import { Bonjour } from 'bonjour-service';
import { HUB_SERVICE_TYPE, type HubTxt, hubTxtSchema } from '../../shared/hub-discovery';

export interface HubAdvert {
  /** Says goodbye on the network (tills stop listing it) and closes the mDNS socket. */
  stop: () => Promise<void>;
}

/**
 * Advertise the hub listening on `port` of this computer's addresses. A network without
 * multicast is not fatal: the hub keeps serving tills that type its address, and `onError` says why.
 */
export function advertiseHub(
  input: { port: number } & HubTxt,
  onError: (message: string) => void,
): HubAdvert {
  const txt = hubTxtSchema.parse({ store: input.store, hub: input.hub, api: input.api });
  let reported = false;
  const bonjour = new Bonjour({}, (error: unknown) => {
    if (reported) return;
    reported = true;
    onError(
      `The stall hub cannot announce itself on this network (${error instanceof Error ? error.message : String(error)}); tills can still pair with its address.`,
    );
  });
  bonjour.publish({
    // The instance name must be unique on the network: the hub's name and port keep two hubs apart.
    name: `${txt.hub} (${input.port})`,
    type: HUB_SERVICE_TYPE,
    port: input.port,
    txt,
  });
  let stopped: Promise<void> | null = null;
  return {
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        bonjour.unpublishAll(() => bonjour.destroy(() => resolve()));
      });
      return stopped;
    },
  };
}
