// A stall hub announced with its own advertise function is listed by the device host's "Find a stall hub" route, and no longer once it stops.
import { createSocket } from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeviceHost, startDeviceHost } from '../../electron/device-host';
import { advertiseHub } from '../../server/upstream/advertise';
import { type HubSearchResult, hubSearchResultSchema } from '../../shared/hub-discovery';

const APP = 'http://127.0.0.1:5173';

/** Whether a multicast datagram sent here comes back here (containers often have no multicast route). */
async function multicastLoops(): Promise<string | null> {
  const group = '239.255.46.98';
  const socket = createSocket({ type: 'udp4', reuseAddr: true });
  try {
    return await new Promise<string | null>((resolve) => {
      const timer = setTimeout(() => resolve('no multicast datagram came back within 1 s'), 1_000);
      socket.on('error', (error) => {
        clearTimeout(timer);
        resolve(`multicast socket failed: ${error.message}`);
      });
      socket.on('message', (msg) => {
        if (msg.toString() !== 'poptill-probe') return;
        clearTimeout(timer);
        resolve(null);
      });
      socket.bind(4698, () => {
        try {
          socket.addMembership(group);
          socket.setMulticastLoopback(true);
          socket.send('poptill-probe', 4698, group);
        } catch (error) {
          clearTimeout(timer);
          resolve(`multicast not available: ${(error as Error).message}`);
        }
      });
    });
  } finally {
    socket.close();
  }
}

const noMulticast = await multicastLoops();
if (noMulticast) console.warn(`Skipping stall hub discovery: ${noMulticast}`);

let host: DeviceHost;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'poptill-hubfind-'));
  host = await startDeviceHost({ port: 0, dataDir, allowedOrigins: [APP], hubSearchMs: 2_500 });
});
afterAll(async () => {
  await host.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function findHubs(token = host.token): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${host.url}/bridge/hubs-find`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, origin: APP },
    body: '[]',
  });
  return { status: res.status, body: await res.json() };
}

describe('finding a stall hub on the network', () => {
  it('is refused without the device host token', async () => {
    const { status, body } = await findHubs('wrong-token');
    expect(status).toBe(401);
    expect(body).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it.skipIf(noMulticast)(
    'lists an advertising hub with its name, store and address, and not after it stops',
    async () => {
      const advert = advertiseHub(
        { port: 4697, store: 'northside-pop-up', hub: 'Northside stall laptop', api: '/api/v1' },
        (message) => {
          throw new Error(message);
        },
      );
      let found: HubSearchResult;
      try {
        const { status, body } = await findHubs();
        expect(status).toBe(200);
        found = hubSearchResultSchema.parse(body);
      } finally {
        await advert.stop();
      }
      expect(found.ok).toBe(true);
      if (!found.ok) return;
      const hub = found.hubs.find((h) => h.storeId === 'northside-pop-up');
      expect(hub).toMatchObject({ name: 'Northside stall laptop' });
      expect(hub?.url).toMatch(/^http:\/\/\d+\.\d+\.\d+\.\d+:4697$/);

      const after = hubSearchResultSchema.parse((await findHubs()).body);
      expect(after.ok && after.hubs.some((h) => h.storeId === 'northside-pop-up')).toBe(false);
    },
  );
});
