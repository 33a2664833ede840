// "Find a stall hub on this network": asks the host (Electron, or the device host in browser mode) and says the outcome in words.
import { type FoundHub, hubSearchResultSchema } from '../../../shared/hub-discovery';
import { BridgeError, pos } from '../../bridge';

export type HubSearch = { ok: true; hubs: FoundHub[] } | { ok: false; message: string };

export async function findStallHubs(): Promise<HubSearch> {
  let answer: unknown;
  try {
    answer = await pos['hubs-find']();
  } catch (error) {
    if (error instanceof BridgeError && error.code === 'no-device-host')
      return {
        ok: false,
        message:
          'Searching the network needs the PopTill app (or this page opened from npm start); type the hub’s address instead.',
      };
    return {
      ok: false,
      message: `Could not search the network: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const result = hubSearchResultSchema.safeParse(answer);
  if (!result.success)
    return {
      ok: false,
      message: 'The search for stall hubs gave an answer this till does not understand.',
    };
  if (!result.data.ok) return { ok: false, message: result.data.message };
  return { ok: true, hubs: result.data.hubs };
}
