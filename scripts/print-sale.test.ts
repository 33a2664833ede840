// `npm run print -- receipt --sale` against an in-process ledger and a fake printer on a real TCP socket: the synced sale prints, each refusal is one clear line.
import net from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatMoney } from '../shared/money';
import type { Sale } from '../shared/sale';
import { FakePrinter, parseJob } from '../test/fixtures/fake-printer';
import {
  ADMIN_TOKEN,
  demo,
  enrolTill,
  loginManager,
  makeSale,
  push,
  startLedger,
  storeSettings,
  type TestLedger,
} from '../test/ledger/fixtures';
import { receipt } from './print';
import { CliError } from './print-cli';

let printer: FakePrinter;
let ledger: TestLedger;
let sale: Sale;
let manager: string;
let otherManager: string;

beforeAll(async () => {
  printer = await FakePrinter.start();
  ledger = await startLedger('sqlite');
  const till = await enrolTill(ledger);
  const event = makeSale(
    till.deviceId,
    till.prefix,
    1,
    [
      { sku: 'TEE-LOGO-BLK-M', qty: 1 },
      { sku: 'CAF-ESP', qty: 2 },
    ],
    { tender: 'cash' },
  );
  await push(ledger, till.token, [event]);
  sale = event.payload as Sale;
  manager = await loginManager(ledger, ledger.storeId, 'staff-print-manager', '3517');
  await ledger.call(
    'PUT',
    '/api/v1/stores/store-print-b',
    ADMIN_TOKEN,
    storeSettings('store-print-b'),
  );
  otherManager = await loginManager(ledger, 'store-print-b', 'staff-print-b', '9264');
});
afterAll(async () => {
  await printer?.close();
  await ledger?.close();
});
beforeEach(() => printer.reset());

const money = (m: number) => formatMoney(m, sale.currency, demo.store.locale);
const args = (saleId: string, extra: string[]) => [
  '--sale',
  saleId,
  '--printer',
  printer.url,
  '--timeout',
  '1000',
  ...extra,
];

/** A port nothing listens on: taken, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('print receipt --sale from the ledger', () => {
  it('prints the synced sale with its receipt number, lines and total', async () => {
    const said = await receipt(args(sale.id, ['--ledger', ledger.url, '--token', manager]));
    expect(said).toMatch(new RegExp(`^Printed receipt ${sale.receiptNumber} \\(48 columns`));
    const [bytes] = await printer.waitForJobs(1);
    const job = parseJob(bytes!, 'escpos');
    const text = job.lines.map((l) => l.text);
    expect(text.some((l) => l.includes(sale.receiptNumber))).toBe(true);
    expect(text.some((l) => l.includes(demo.store.name))).toBe(true);
    for (const line of sale.lines) expect(text.some((l) => l.includes(line.name))).toBe(true);
    expect(job.lines.find((l) => l.text.startsWith('Total '))?.text).toMatch(
      new RegExp(` ${money(sale.total).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
    );
  });

  it('takes the token from LEDGER_TOKEN', async () => {
    const before = process.env.LEDGER_TOKEN;
    process.env.LEDGER_TOKEN = ADMIN_TOKEN;
    try {
      await receipt(args(sale.id, ['--ledger', ledger.url]));
    } finally {
      if (before === undefined) delete process.env.LEDGER_TOKEN;
      else process.env.LEDGER_TOKEN = before;
    }
    expect(await printer.waitForJobs(1)).toHaveLength(1);
  });

  it('exits 1 with one line when the ledger refuses or is not there, and prints nothing', async () => {
    const host = new URL(ledger.url).host;
    const refused = async (extra: string[], saleId = sale.id) => {
      const run = receipt(args(saleId, extra));
      await expect(run).rejects.toBeInstanceOf(CliError);
      return run.catch((e: CliError) => ({ exitCode: e.exitCode, message: e.message }));
    };
    expect(await refused(['--ledger', ledger.url, '--token', 'not-a-token'])).toEqual({
      exitCode: 1,
      message: `Ledger at ${host} did not accept the token: Unknown token.`,
    });
    expect(await refused(['--ledger', ledger.url, '--token', otherManager])).toEqual({
      exitCode: 1,
      message: `Ledger at ${host} refused to show sale ${sale.id}: That belongs to another store.`,
    });
    const unknown = '01JZZZZZZZZZZZZZZZZZZZZZZZ';
    expect(await refused(['--ledger', ledger.url, '--token', manager], unknown)).toEqual({
      exitCode: 1,
      message: `Ledger at ${host} has no sale ${unknown} (not synced yet?)`,
    });
    const port = await closedPort();
    expect(await refused(['--ledger', `http://127.0.0.1:${port}`, '--token', manager])).toEqual({
      exitCode: 1,
      message: `Ledger at 127.0.0.1:${port} is not answering (connection refused)`,
    });
    expect(printer.jobs).toHaveLength(0);
  });

  it('exits 2 for a usage mistake', async () => {
    const before = process.env.LEDGER_TOKEN;
    delete process.env.LEDGER_TOKEN;
    try {
      await expect(receipt(args(sale.id, ['--token', manager]))).rejects.toMatchObject({
        exitCode: 2,
        message: expect.stringMatching(/--ledger URL/),
      });
      await expect(receipt(args(sale.id, ['--ledger', ledger.url]))).rejects.toMatchObject({
        exitCode: 2,
        message: expect.stringMatching(/LEDGER_TOKEN/),
      });
      await expect(
        receipt(args(sale.id, ['--ledger', 'ledger.local', '--token', manager])),
      ).rejects.toMatchObject({ exitCode: 2 });
      await expect(
        receipt(args(sale.id, ['--demo', '--ledger', ledger.url, '--token', manager])),
      ).rejects.toMatchObject({ exitCode: 2 });
    } finally {
      if (before !== undefined) process.env.LEDGER_TOKEN = before;
    }
  });
});
