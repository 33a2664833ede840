// Printer status where the printer answers: Star's ASB block (ESC ACK SOH) next to Epson's DLE EOT, read off a fake printer on a real TCP socket.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatMoney } from '../../shared/money';
import type { Sale } from '../../shared/sale';
import { FakePrinter, parseJob } from '../../test/fixtures/fake-printer';
import { demo, makeSale } from '../../test/ledger/fixtures';
import { PrintService } from './print-service';
import { decodeStarStatus, StatusReader, starStatusLength } from './printer-status';
import { queryStatus } from './transports';

const fast = { connectTimeoutMs: 500, writeTimeoutMs: 400, statusTimeoutMs: 150 };

describe('a Star status block', () => {
  it('gives its own length in the header: 9 bytes on a TSP100, 7 on older models', () => {
    expect(starStatusLength(0x23)).toBe(9);
    expect(starStatusLength(0x0f)).toBe(7);
    // Epson status bytes and plain text are not headers.
    expect(starStatusLength(0x12)).toBeNull();
    expect(starStatusLength(0x41)).toBeNull();
  });

  it('says paper out, cover open, near end and offline from bytes 3 and 6', () => {
    const ready = [0x23, 0x06, 0, 0, 0, 0, 0, 0, 0];
    expect(decodeStarStatus(ready)).toEqual({
      online: true,
      coverOpen: false,
      paperOut: false,
      paperLow: false,
    });
    const empty = [0x23, 0x06, 0x08, 0, 0, 0x0c, 0, 0, 0];
    expect(decodeStarStatus(empty)).toMatchObject({ online: false, paperOut: true });
    const open = [0x23, 0x06, 0x28, 0, 0, 0, 0, 0, 0];
    expect(decodeStarStatus(open)).toMatchObject({ coverOpen: true, paperOut: false });
    const nearEnd = [0x0f, 0x06, 0, 0, 0, 0x04, 0];
    expect(decodeStarStatus(nearEnd)).toMatchObject({ online: true, paperLow: true });
    const cutterJam = [0x23, 0x06, 0, 0x08, 0, 0, 0, 0, 0];
    expect(decodeStarStatus(cutterJam).online).toBe(false);
  });

  it('is read whole when it arrives in pieces after other bytes', () => {
    const reader = new StatusReader('star');
    expect(reader.push(Uint8Array.of(0x11, 0x13, 0x23, 0x06, 0x08))).toBeNull();
    expect(reader.sawAnswer).toBe(true);
    expect(reader.push(Uint8Array.of(0, 0, 0x08, 0, 0, 0))).toMatchObject({ paperOut: true });
  });
});

const starSale = () =>
  makeSale('till-1', 'T1', 7, [{ sku: 'TEE-LOGO-BLK-S', qty: 1 }], { tender: 'card' })
    .payload as Sale;

let printer: FakePrinter;
let dataDir: string;
let service: PrintService | undefined;

beforeAll(async () => {
  printer = await FakePrinter.start();
});
afterAll(() => printer.close());
beforeEach(async () => {
  await printer.reset();
  printer.state.speaks = 'star';
  dataDir = await mkdtemp(path.join(tmpdir(), 'poptill-star-'));
});
afterEach(async () => {
  await service?.close();
  service = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

async function starService() {
  service = await PrintService.open({ dataDir, send: fast, retryEveryMs: 0 });
  await service.savePrinter({
    id: 'star',
    name: 'Star counter',
    kind: 'receipt',
    language: 'star',
    address: printer.url,
    paperWidthMm: 80,
  });
  return service;
}

describe('a Star receipt printer on the network', () => {
  it('answers ESC ACK SOH: the till reads paper out without printing anything', async () => {
    printer.state.paperOut = true;
    expect(await queryStatus(printer.url, { ...fast, statusDialect: 'star' })).toMatchObject({
      ok: true,
      status: { paperOut: true, online: false },
    });
    // Asked the Epson way, a Star printer says nothing: no status rather than a wrong one.
    expect(await queryStatus(printer.url, fast)).toEqual({ ok: true, status: null });
    expect(printer.jobs).toHaveLength(0);
  });

  it('keeps a receipt for a printer out of paper with the reason in plain words, and prints it once paper is back', async () => {
    const svc = await starService();
    printer.state.paperOut = true;
    const sale = starSale();

    const failed = await svc.printReceipt({ sale, store: demo.store });

    expect(failed.status).toBe('failed');
    expect(failed.lastError).toEqual({
      code: 'paper-out',
      message: `Receipt printer at 127.0.0.1:${printer.port} is out of paper — the sale is saved. Retry, print later or choose another printer.`,
    });
    expect(svc.jobs()).toEqual([failed]);
    // Nothing went into the empty printer.
    expect(printer.jobs).toHaveLength(0);

    printer.state.paperOut = false;
    await svc.retryUnattended();

    expect(svc.jobs()[0]).toMatchObject({ id: failed.id, status: 'done', lastError: null });
    const [bytes] = await printer.waitForJobs(1);
    const paper = parseJob(bytes!, 'star');
    const total = paper.lines.find((l) => l.text.startsWith('Total'));
    expect(total?.text).toContain(formatMoney(sale.total, 'EUR', demo.store.locale));
    expect(paper.lines.some((l) => l.text.includes(sale.receiptNumber))).toBe(true);
  });

  it('with its cover open says so, and one that never answers still prints', async () => {
    const svc = await starService();
    printer.state.coverOpen = true;
    const open = await svc.printReceipt({ sale: starSale(), store: demo.store });
    expect(open.lastError?.message).toContain('has its cover open — the sale is saved');

    printer.state.coverOpen = false;
    printer.state.answersStatus = false;
    const quiet = await svc.printReceipt({ sale: starSale(), store: demo.store });
    expect(quiet.status).toBe('done');
    await printer.waitForJobs(1);
  });
});
