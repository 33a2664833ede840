// A TCP proxy whose link can be cut and restored: the market Wi-Fi between a stall hub and its central ledger.
import { connect, createServer, type Socket } from 'node:net';

export interface CutProxy {
  url: string;
  /** Drop every open connection and refuse new ones until restored. */
  cut: () => void;
  restore: () => void;
  close: () => Promise<void>;
}

/** `port` 0 (the default) takes any free port. */
export async function startCutProxy(target: string, port = 0): Promise<CutProxy> {
  const { hostname, port: targetPort } = new URL(target);
  let down = false;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(targetPort), hostname);
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    cut: () => {
      down = true;
      for (const s of open) s.destroy();
    },
    restore: () => {
      down = false;
    },
    close: async () => {
      for (const s of open) s.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
