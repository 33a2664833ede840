import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoSale, loadDemoCatalog } from '../../scripts/print';
import { formatMoney } from '../../shared/money';
import { type ReceiptDocument, receiptDocument, receiptText } from '../../shared/receipt';
import type { Sale } from '../../shared/sale';
import {
  FakePrinter,
  type ParsedJob,
  type PrinterCommand,
  parseJob,
  renderPaper,
} from '../../test/fixtures/fake-printer';
import { demo, makeSale } from '../../test/ledger/fixtures';
import { type CodePage, encodeReceipt, type PrinterLanguage } from './escpos';
import { queryStatus, type SendOptions, sendToPrinter } from './transports';

const fast: SendOptions = { connectTimeoutMs: 500, writeTimeoutMs: 400, statusTimeoutMs: 150 };
const money = (m: number) => formatMoney(m, 'EUR', demo.store.locale);
const RETURNS = 'Free shipping over €50 · returns within 14 days';

const cashSale = () =>
  makeSale(
    'till-1',
    'T1',
    42,
    [
      { sku: 'TEE-LOGO-BLK-S', qty: 2, discount: { kind: 'percent', bp: 1000 } },
      { sku: 'CAF-ESP', qty: 3 },
      { sku: 'PRT-STK-LOGO', qty: 1 },
    ],
    { tender: 'cash' },
  ).payload as Sale;

const cardSale = () =>
  makeSale('till-1', 'T1', 43, [{ sku: 'HAT-CAP5-BLK', qty: 1 }], { tender: 'card' })
    .payload as Sale;

let printer: FakePrinter;
beforeAll(async () => {
  printer = await FakePrinter.start();
});
afterAll(() => printer.close());
beforeEach(() => printer.reset());

/** Print a sale's receipt over TCP to the fake printer and read back what it printed. */
async function printOnFake(
  sale: Sale,
  language: PrinterLanguage,
  opts: {
    width?: 32 | 42 | 48;
    store?: typeof demo.store;
    codePages?: CodePage[];
    /** Print the store's own returns promise instead of the test's. */
    storePromises?: boolean;
  } = {},
): Promise<{ doc: ReceiptDocument; job: ParsedJob }> {
  const doc = receiptDocument(sale, opts.store ?? demo.store, {
    width: opts.width ?? 48,
    ...(opts.storePromises ? {} : { returnsText: RETURNS }),
  });
  const bytes = encodeReceipt(doc, {
    language,
    ...(opts.codePages ? { codePages: opts.codePages } : {}),
  });
  const before = printer.jobs.length;
  const result = await sendToPrinter(printer.url, bytes, {
    ...fast,
    statusCheck: language === 'escpos',
  });
  expect(result).toMatchObject({ ok: true });
  const jobs = await printer.waitForJobs(before + 1);
  const job = parseJob(jobs.at(-1)!, language);
  return { doc, job };
}

const lineStarting = (job: ParsedJob, start: string) =>
  job.lines.find((l) => l.text.startsWith(start));
const kinds = (job: ParsedJob, kind: PrinterCommand['kind']) =>
  job.commands.filter((c) => c.kind === kind);

/** The paper without the cut mark and the blank feed before it, as receiptText lays it out. */
function paperText(job: ParsedJob, width: number): string[] {
  const lines = renderPaper(job, width).filter((l) => !l.includes(' cut '));
  while (lines.at(-1) === '') lines.pop();
  return lines;
}
function docText(doc: ReceiptDocument): string[] {
  const lines = receiptText(doc);
  while (lines.at(-1) === '') lines.pop();
  return lines;
}

describe.each([
  ['escpos', 48],
  ['star', 32],
] as const)('a %s receipt printed over TCP', (language, width) => {
  it('shows the sale’s totals, change and tax exactly as the sale has them', async () => {
    const sale = cashSale();
    const { job } = await printOnFake(sale, language, { width });

    const total = lineStarting(job, 'Total ');
    expect(total?.text).toMatch(new RegExp(` ${escapeRegExp(money(sale.total))}$`));
    expect(total).toMatchObject({ bold: true, height: 2 });
    const change = lineStarting(job, 'Change');
    expect(sale.change).toBeGreaterThan(0);
    expect(change?.text.endsWith(` ${money(sale.change)}`)).toBe(true);
    expect(change?.bold).toBe(true);
    const cash = job.lines.find((l) => /^Cash +€/.test(l.text));
    expect(cash?.text.endsWith(` ${money(sale.tenders[0]!.amount)}`)).toBe(true);
    expect(lineStarting(job, 'Receipt')?.text.endsWith('T1-000042')).toBe(true);

    // One line per tax band, then their total: the bands add up to the sale's tax.
    expect(sale.taxBands).toHaveLength(2);
    const bands = sale.taxBands.map((b) => {
      const line = lineStarting(job, `${b.ratePpm / 10_000}% `);
      expect(line?.text.endsWith(` ${money(b.tax)}`)).toBe(true);
      return b.tax;
    });
    expect(bands.reduce((s, t) => s + t, 0)).toBe(sale.tax);
    const taxTotal = job.lines.filter((l) => l.text.startsWith('Total ')).at(-1);
    expect(taxTotal?.text.endsWith(` ${money(sale.tax)}`)).toBe(true);
  });

  it('prints the store name large and centred, and the returns QR with the sale id', async () => {
    const sale = cashSale();
    const { job } = await printOnFake(sale, language, { width });
    expect(job.lines[0]).toMatchObject({
      text: 'Northside Pop-Up',
      align: 'center',
      bold: true,
      width: 2,
    });
    expect(kinds(job, 'qr')).toEqual([{ kind: 'qr', data: sale.id }]);
    expect(job.paper.find((p) => p.kind === 'qr')).toMatchObject({ align: 'center' });
    expect(kinds(job, 'align').map((c) => (c as { align: string }).align)).toContain('center');
    expect(kinds(job, 'bold')).toContainEqual({ kind: 'bold', on: false });
  });

  it('opens the drawer first for a cash sale and cuts at the end', async () => {
    const { job } = await printOnFake(cashSale(), language, { width });
    expect(kinds(job, 'drawer-kick')).toHaveLength(1);
    const kickAt = job.commands.findIndex((c) => c.kind === 'drawer-kick');
    const firstText = job.commands.findIndex((c) => c.kind === 'align');
    expect(kickAt).toBeLessThan(firstText);
    expect(kinds(job, 'cut')).toEqual([{ kind: 'cut', partial: true }]);
    expect(job.paper.at(-1)).toEqual({ kind: 'cut' });
  });

  it('does not open the drawer for a card sale', async () => {
    const { job } = await printOnFake(cardSale(), language, { width });
    expect(kinds(job, 'drawer-kick')).toEqual([]);
    expect(kinds(job, 'cut')).toHaveLength(1);
  });

  it('puts on paper exactly the document the till previews', async () => {
    const { doc, job } = await printOnFake(cashSale(), language, { width });
    expect(paperText(job, width)).toEqual(docText(doc));
    for (const line of job.lines) {
      expect(Array.from(line.text).length * line.width).toBeLessThanOrEqual(width);
    }
  });

  it('prints €, accents and dashes through code pages, and spells out what none has', async () => {
    const sale = cashSale();
    const named = {
      ...sale,
      lines: sale.lines.map((l, i) => (i === 0 ? { ...l, name: 'Crème brûlée – Ñandú Über' } : l)),
    };
    const store = { ...demo.store, name: 'Café Łódź' };
    const { job } = await printOnFake(named, language, { width: 48, store });
    expect(job.lines[0]?.text).toBe('Café Łódź');
    expect(lineStarting(job, 'Crème brûlée – Ñandú Über')?.text).toMatch(/ €\d+\.\d\d$/);
    expect(job.lines.some((l) => l.text.includes(`Free shipping over €50`))).toBe(true);

    // A printer with only PC858: Ł and ź become L and z, the en dash a hyphen; € and é stay.
    const narrow = await printOnFake(named, language, {
      width: 48,
      store,
      codePages: ['PC858_EURO'],
    });
    expect(narrow.job.lines[0]?.text).toBe('Café Lódz');
    expect(lineStarting(narrow.job, 'Crème brûlée - Ñandú Über')?.text).toMatch(/ €\d+\.\d\d$/);
    const pages = new Set(kinds(narrow.job, 'code-page').map((c) => (c as { page: number }).page));
    expect(pages).toEqual(new Set([language === 'star' ? 4 : 19]));
  });

  it('prints a Code 128 barcode with its payload', async () => {
    const doc: ReceiptDocument = {
      width,
      saleId: 'x',
      receiptNumber: 'T1-000042',
      blocks: [{ kind: 'code', symbology: 'code128', data: 'T1-{000042}' }, { kind: 'cut' }],
    };
    const before = printer.jobs.length;
    expect(await sendToPrinter(printer.url, encodeReceipt(doc, { language }), fast)).toEqual({
      ok: true,
    });
    const job = parseJob((await printer.waitForJobs(before + 1)).at(-1)!, language);
    expect(kinds(job, 'barcode')).toEqual([
      { kind: 'barcode', symbology: 'code128', data: 'T1-{000042}' },
    ]);
  });
});

it('uses each printer’s own cut, alignment, bold and drawer commands', () => {
  const doc = receiptDocument(cashSale(), demo.store, { width: 48 });
  const epson = encodeReceipt(doc, { language: 'escpos' });
  const star = encodeReceipt(doc, { language: 'star' });
  const has = (b: Buffer, ...bytes: number[]) => b.includes(Buffer.from(bytes));
  // Epson: GS V 1 partial cut, ESC a 1 centre, ESC E 1 bold, ESC p 0 25 250 drawer pulse.
  expect(has(epson, 0x1d, 0x56, 0x01)).toBe(true);
  expect(has(epson, 0x1b, 0x61, 0x01)).toBe(true);
  expect(has(epson, 0x1b, 0x45, 0x01)).toBe(true);
  expect(has(epson, 0x1b, 0x70, 0x00, 25, 250)).toBe(true);
  // Star Line Mode: ESC d 3 feed-and-partial-cut, ESC GS a 1 centre, ESC E bold, BEL drawer.
  expect(has(star, 0x1b, 0x64, 0x03)).toBe(true);
  expect(has(star, 0x1b, 0x1d, 0x61, 0x01)).toBe(true);
  expect(has(star, 0x1b, 0x45)).toBe(true);
  expect(has(star, 0x1b, 0x07, 0x0b, 0x37, 0x07)).toBe(true);
  expect(has(star, 0x1d, 0x56)).toBe(false);
  // Both read back without a single unknown command.
  expect(() => parseJob(epson, 'escpos')).not.toThrow();
  expect(() => parseJob(star, 'star')).not.toThrow();
});

describe('a printer that cannot print', () => {
  const bytes = () =>
    encodeReceipt(receiptDocument(cashSale(), demo.store, { width: 32 }), { language: 'escpos' });

  it('that refuses connections gives a clear error at once', async () => {
    await printer.setMode('refuse');
    const started = Date.now();
    const result = await sendToPrinter(printer.url, bytes(), fast);
    expect(result).toEqual({
      ok: false,
      code: 'printer-unreachable',
      message: `Printer at 127.0.0.1:${printer.port} is not answering (connection refused)`,
    });
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('that takes the connection but never reads times out quickly', async () => {
    await printer.setMode('stall');
    const started = Date.now();
    // More than every socket buffer on the way holds: bytes still wait on our side at the timeout.
    const big = Buffer.concat([bytes(), Buffer.alloc(32 * 1024 * 1024, 0x20)]);
    const result = await sendToPrinter(printer.url, big, { ...fast, statusCheck: true });
    expect(result).toMatchObject({ ok: false, code: 'printer-timeout' });
    expect(result.ok || result.message).toBe(
      `Printer at 127.0.0.1:${printer.port} took the connection but did not take the job within 400 ms (busy, jammed or out of paper?)`,
    );
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('that reads the whole job but never answers or closes: sent, not confirmed (not failed)', async () => {
    await printer.setMode('silent');
    const started = Date.now();
    const result = await sendToPrinter(printer.url, bytes(), { ...fast, statusCheck: true });
    // Not a failure: a person told "failed" would print the receipt twice.
    expect(result).toEqual({ ok: true, unconfirmed: true });
    expect(Date.now() - started).toBeLessThan(1500);
    // It did get the whole receipt.
    const [job] = await printer.waitForJobs(1);
    expect(parseJob(job!, 'escpos').lines.some((l) => l.text.includes('Total'))).toBe(true);
  });

  it('that is out of paper says so, keeps nothing, and prints once paper is back', async () => {
    printer.state.paperOut = true;
    const result = await sendToPrinter(printer.url, bytes(), { ...fast, statusCheck: true });
    expect(result).toEqual({
      ok: false,
      code: 'paper-out',
      message: `Printer at 127.0.0.1:${printer.port} is out of paper`,
    });
    expect(await queryStatus(printer.url, fast)).toMatchObject({
      ok: true,
      status: { paperOut: true, online: false },
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(printer.jobs).toHaveLength(0);

    printer.state.paperOut = false;
    const retry = await sendToPrinter(printer.url, bytes(), { ...fast, statusCheck: true });
    expect(retry).toMatchObject({ ok: true, status: { paperOut: false, online: true } });
    expect(await printer.waitForJobs(1)).toHaveLength(1);
  });

  it('that has its cover open says so', async () => {
    printer.state.coverOpen = true;
    const result = await sendToPrinter(printer.url, bytes(), { ...fast, statusCheck: true });
    expect(result).toMatchObject({ ok: false, code: 'cover-open' });
  });

  it('that never answers status queries still prints', async () => {
    printer.state.answersStatus = false;
    expect(await queryStatus(printer.url, fast)).toEqual({ ok: true, status: null });
    const result = await sendToPrinter(printer.url, bytes(), { ...fast, statusCheck: true });
    expect(result).toEqual({ ok: true });
    expect(await printer.waitForJobs(1)).toHaveLength(1);
  });
});

describe('other ways to a printer', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'poptill-print-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('a folder keeps each job as the next numbered file', async () => {
    const folder = path.join(dir, 'virtual');
    expect(await sendToPrinter(`dir:${folder}`, Buffer.from('first'))).toEqual({ ok: true });
    expect(await sendToPrinter(`dir:${folder}`, Buffer.from('second'))).toEqual({ ok: true });
    expect((await readdir(folder)).sort()).toEqual(['000001.bin', '000002.bin']);
    expect(await readFile(path.join(folder, '000002.bin'), 'utf8')).toBe('second');
  });

  it('a file gets the bytes; a missing device is an unplugged printer, not a new file', async () => {
    const file = path.join(dir, 'lp0');
    expect(await sendToPrinter(`file:${file}`, Buffer.from([0x1b, 0x40]))).toEqual({ ok: true });
    expect([...(await readFile(file))]).toEqual([0x1b, 0x40]);
    expect(await sendToPrinter('file:/dev/usb/lp-poptill-missing', Buffer.from('x'))).toEqual({
      ok: false,
      code: 'printer-unreachable',
      message: 'No printer at /dev/usb/lp-poptill-missing (is it plugged in and on?)',
    });
  });

  it.skipIf(process.platform === 'win32')('a CUPS queue gets the job raw through lp', async () => {
    // A stand-in `lp` at the edge of the world: records its arguments and input.
    const bin = path.join(dir, 'bin');
    await rm(bin, { recursive: true, force: true });
    await mkdir(bin);
    const lp = path.join(bin, 'lp');
    await writeFile(
      lp,
      `#!/bin/sh\nif [ "$2" = "missing" ]; then echo "lp: The printer or class does not exist." >&2; exit 1; fi\necho "$@" > "${dir}/lp-args"\ncat > "${dir}/lp-input"\n`,
    );
    await chmod(lp, 0o755);
    const oldPath = process.env.PATH;
    process.env.PATH = `${bin}${path.delimiter}${oldPath}`;
    try {
      expect(await sendToPrinter('cups:Receipts', Buffer.from('job'))).toEqual({ ok: true });
      expect(await readFile(path.join(dir, 'lp-args'), 'utf8')).toBe('-d Receipts -o raw\n');
      expect(await readFile(path.join(dir, 'lp-input'), 'utf8')).toBe('job');
      expect(await sendToPrinter('cups:missing', Buffer.from('job'))).toEqual({
        ok: false,
        code: 'printer-unreachable',
        message:
          'The print queue missing refused the job: lp: The printer or class does not exist.',
      });
    } finally {
      process.env.PATH = oldPath;
    }
  });

  it('an address that is not a printer says how to write one', async () => {
    for (const url of ['192.168.1.50', 'tcp://', 'ftp://x', 'dir:']) {
      expect(await sendToPrinter(url, Buffer.from('x'))).toMatchObject({
        ok: false,
        code: 'bad-printer-address',
      });
    }
  });
});

it('matches the reviewed 80 mm sample (UPDATE_SAMPLES=1 rewrites it)', async () => {
  const catalog = loadDemoCatalog();
  const sale = demoSale(catalog, {
    at: new Date('2026-11-25T14:05:00Z'),
    id: '01KAXQ3M5R7T9V1W3X5Y7Z9A1B',
  });
  const { job } = await printOnFake(sale, 'escpos', {
    width: 48,
    store: catalog.store,
    storePromises: true,
  });
  const sample = `${renderPaper(job, 48).join('\n')}\n`;
  const file = new URL('../../test/fixtures/receipt-80mm.txt', import.meta.url);
  if (process.env.UPDATE_SAMPLES === '1') await writeFile(file, sample);
  expect(sample).toBe(await readFile(file, 'utf8'));
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
