// A next-visit code on paper: the receipt job carries it to a fake printer on a real socket, as a QR that scans and the code typed below.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { bitmapToPng, createBitmap } from '../../electron/printing/barcode-image';
import { PrintService } from '../../electron/printing/print-service';
import { issueQr, promoSigningKeyPair } from '../../shared/promo-code';
import type { Sale } from '../../shared/sale';
import { FakePrinter, parseJob } from '../fixtures/fake-printer';
import { demo, makeSale } from '../ledger/fixtures';

const pair = promoSigningKeyPair(new Uint8Array(32).fill(7));
const { code, qr } = issueQr({
  campaign: {
    id: 'next-visit',
    prefix: 'NEXT',
    offer: { kind: 'percent', bp: 1000 },
    scope: { kind: 'all' },
    audience: { kind: 'anyone' },
    startsAt: '2026-12-01T00:00:00.000Z',
    endsAt: '2027-01-31T00:00:00.000Z',
  },
  deviceNo: 1,
  seq: 1,
  key: { secret: 'c2VjcmV0LXN0b3JlLWtleS0xMjM0NTY3OA' },
  signer: { keyId: `ed-${pair.publicKeyHex.slice(0, 16)}`, secretKeyHex: pair.secretKeyHex },
});
const promo = {
  redeemed: { code: 'MAYA-7K3M-Q9XT-4H2B-C1R0', label: 'Maya Creates', discount: 300 },
  issuedCodes: [
    { code, qr, headline: '10% off everything on your next visit', validUntil: '30 Jan 2027' },
  ],
};
const sale = () =>
  makeSale('till-1', 'T1', 7, [{ sku: 'TEE-LOGO-BLK-S', qty: 1 }], { tender: 'card' })
    .payload as Sale;

let printer: FakePrinter;
let dataDir: string;
let service: PrintService | undefined;

beforeAll(async () => {
  printer = await FakePrinter.start();
  // The package's default fetches the .wasm from a CDN; load the copy shipped in node_modules.
  const file = readFileSync(
    createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'),
  );
  const wasmBinary = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
  await prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
});
afterAll(() => printer.close());
beforeEach(async () => {
  await printer.reset();
  dataDir = await mkdtemp(path.join(tmpdir(), 'poptill-promo-print-'));
});
afterEach(async () => {
  await service?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function printOn(nativeQr: boolean) {
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
    paperWidthMm: 80,
    nativeQr,
  });
  const job = await service.printReceipt({ sale: sale(), store: demo.store, promo });
  expect(job.status).toBe('done');
  return parseJob((await printer.waitForJobs(1))[0]!, 'escpos');
}

describe('promo codes on a printed receipt', () => {
  it('prints the next-visit code as a native QR of its signed form, the code typed below, and the redeemed code', async () => {
    const paper = await printOn(true);
    expect(paper.commands).toContainEqual({ kind: 'qr', data: qr });
    const text = paper.lines.map((l) => l.text.trim());
    expect(text).toContain(code);
    expect(text).toContain('10% off everything on your next visit');
    expect(text.some((l) => l.includes('MAYA-7K3M-Q9XT-4H2B-C1R0'))).toBe(true);
  });

  it('sends it as a picture that scans back to the signed code on printers without native QR', async () => {
    const paper = await printOn(false);
    const images = paper.paper.filter((p) => p.kind === 'image');
    expect(images).toHaveLength(2);
    const last = images.at(-1)!;
    const bitmap = createBitmap(last.bytesPerRow * 8, last.rows);
    bitmap.data.set(last.data);
    const scanned = await readBarcodes(bitmapToPng(bitmap), { maxNumberOfSymbols: 2 });
    expect(scanned.filter((r) => r.isValid).map((r) => r.text)).toEqual([qr]);
  });
});
