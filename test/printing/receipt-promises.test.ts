// The store's returns and shipping promises on paper: the printed bytes, read back from a fake printer on a real TCP socket, carry both, wrapped, above the returns QR.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PrintService } from '../../electron/printing/print-service';
import { receipt } from '../../scripts/print';
import { DEMO_STORE_PROMISES } from '../../server/demo-store';
import type { Sale } from '../../shared/sale';
import { FakePrinter, type ParsedJob, parseJob, renderPaper } from '../fixtures/fake-printer';
import { demo, makeSale } from '../ledger/fixtures';

let printer: FakePrinter;
let dataDir: string;
let service: PrintService | undefined;

beforeAll(async () => {
  printer = await FakePrinter.start();
});
afterAll(() => printer.close());
beforeEach(async () => {
  await printer.reset();
  dataDir = await mkdtemp(path.join(tmpdir(), 'poptill-promises-print-'));
});
afterEach(async () => {
  await service?.close();
  service = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

/** The paper, and its words with the printer's line breaks taken out. */
function read(job: ParsedJob, width: number) {
  const lines = renderPaper(job, width);
  return { lines, words: lines.map((l) => l.trim()).join(' ') };
}

async function printDemo(extra: string[], language: 'escpos' | 'star' = 'escpos') {
  const said = await receipt([
    '--demo',
    '--printer',
    printer.url,
    '--language',
    language,
    '--timeout',
    '1000',
    ...extra,
  ]);
  expect(said).toMatch(/^Printed receipt DEMO-000001/);
  return parseJob((await printer.waitForJobs(1))[0]!, language);
}

describe('the store promises, printed', () => {
  it.each([
    ['58', 32, 'escpos'],
    ['80', 48, 'escpos'],
    ['58', 32, 'star'],
  ] as const)(
    'the demo receipt on %s mm paper (%s columns, %s) prints both demo promises above the returns QR',
    async (mm, columns, language) => {
      const job = await printDemo(['--width', mm], language);
      const { lines, words } = read(job, columns);
      for (const l of lines) expect(Array.from(l).length).toBeLessThanOrEqual(columns);
      const returnsAt = words.indexOf(DEMO_STORE_PROMISES.returnsPromise);
      const shippingAt = words.indexOf(DEMO_STORE_PROMISES.shippingPromise);
      expect(returnsAt).toBeGreaterThan(0);
      expect(shippingAt).toBeGreaterThan(returnsAt);
      // The QR is drawn (native or raster) after both, and the returns words follow it.
      const codeAt = lines.findIndex((l) => /\[(QR|image)/.test(l));
      const shippingLine = lines.findIndex((l) => l.includes('leaves the stall'));
      expect(shippingLine).toBeGreaterThan(0);
      expect(codeAt).toBeGreaterThan(shippingLine);
      expect(words.indexOf('Show this code for returns')).toBeGreaterThan(shippingAt);
      // Longer than a line at either width: wrapped over lines, no word lost.
      expect(lines.some((l) => l.includes(DEMO_STORE_PROMISES.returnsPromise))).toBe(false);
    },
  );

  it('--returns-text and --shipping-text print instead of the store’s, with accents and €; "" prints none', async () => {
    const job = await printDemo([
      '--width',
      '58',
      '--returns-text',
      'Rückgabe: 30 Tage mit Bon. Échange gratuit.',
      '--shipping-text',
      'Versand ab 50 € kostenlos.',
    ]);
    const { words } = read(job, 32);
    expect(words).toContain('Rückgabe: 30 Tage mit Bon. Échange gratuit.');
    expect(words).toContain('Versand ab 50 € kostenlos.');
    expect(words).not.toContain('Returns: 14 days');
    expect(job.commands.some((c) => c.kind === 'code-page')).toBe(true);

    await printer.reset();
    const none = read(await printDemo(['--shipping-text', '']), 48).words;
    expect(none).toContain(DEMO_STORE_PROMISES.returnsPromise);
    expect(none).not.toContain('Shipping:');
  });

  it('a till prints the texts of its store settings through the print service, line breaks kept', async () => {
    service = await PrintService.open({
      dataDir,
      retryEveryMs: 0,
      receiptLogoFile: path.join(dataDir, 'no-logo.png'),
    });
    await service.savePrinter({
      id: 'counter',
      name: 'Counter',
      kind: 'receipt',
      language: 'escpos',
      address: printer.url,
      paperWidthMm: 58,
      nativeQr: true,
    });
    const sale = makeSale('till-1', 'T1', 7, [{ sku: 'TEE-LOGO-BLK-S', qty: 1 }], {
      tender: 'card',
    }).payload as Sale;
    const store = {
      ...demo.store,
      returnsPromise: 'Retours : 14 jours.\nArticles « drop » : échange seulement.',
      shippingPromise: 'Livraison offerte dès 50 €.',
    };
    const job = await service.printReceipt({ sale, store });
    expect(job.status).toBe('done');
    const paper = parseJob((await printer.waitForJobs(1))[0]!, 'escpos');
    const { lines, words } = read(paper, 32);
    const trimmed = lines.map((l) => l.trim());
    expect(trimmed).toContain('Retours : 14 jours.');
    expect(words).toContain('Articles « drop » : échange seulement.');
    expect(trimmed).toContain('Livraison offerte dès 50 €.');
    expect(paper.commands).toContainEqual({ kind: 'qr', data: sale.id });
    expect(trimmed.indexOf(`[QR: ${sale.id}]`)).toBeGreaterThan(
      trimmed.indexOf('Livraison offerte dès 50 €.'),
    );
  });
});
