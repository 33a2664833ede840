// CLI for operators and scripts: `npm run print -- receipt …` (each subcommand is one entry in `subcommands`).
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ulid } from 'ulid';
import { encodeReceipt } from '../electron/printing/escpos';
import { sendToPrinter } from '../electron/printing/transports';
import { demoStoreSettings } from '../server/demo-store';
import { type CartLine, priceCart } from '../shared/cart';
import type { Catalog } from '../shared/catalog';
import { type ReceiptWidth, receiptDocument } from '../shared/receipt';
import { type Sale, saleSchema } from '../shared/sale';
import { settle, type Tender } from '../shared/tender';
import { CliError, loadDemoCatalog, timeoutMs } from './print-cli';
import { LABELS_USAGE, labels } from './print-labels';
import { fetchSale } from './print-sale';
import { SIGN_USAGE, sign } from './print-sign';

export { loadDemoCatalog };

const USAGE = `Usage: npm run print -- <receipt|labels|sign> [options]

  receipt --demo | --sale SALE_ID --ledger URL [--token TOKEN]  --printer ADDRESS
          [--language escpos|star] [--width 58|80] [--columns 32|42|48]
          [--returns-text TEXT] [--shipping-text TEXT] [--timeout MS]

${LABELS_USAGE}

${SIGN_USAGE}

  ADDRESS  tcp://HOST[:9100]   raw network printer
           file:/dev/usb/lp0  device file (or any file)
           cups:QUEUE         a CUPS queue, sent raw
           win:PRINTER NAME   a Windows printer, sent raw through the spooler
           dir:FOLDER         a virtual printer: each job saved as NNNNNN.bin
           serial:/dev/ttyUSB0?baud=9600 (or serial:COM3)  a serial printer

  --returns-text, --shipping-text  print these instead of the store's returns and shipping
           promises ("" prints none); --demo uses the demo store's, --sale the ledger's

  --sale   a synced sale, fetched from the ledger (e.g. http://192.168.1.10:4310) with a
           manager token: --token, or LEDGER_TOKEN in the environment

  --width  paper width in mm: 58 (32 columns) or 80 (48 columns, the default);
           --columns overrides it (42 for 80 mm printers with a 72 mm head)
  --size   label size in mm (default 50x30); --copies of each --sku (default 1)
  --shipment  a delivery note, CSV of sku,qty or barcode,qty (comma or semicolon, header
           optional): qty labels of each product; an unknown code prints nothing`;

/**
 * A sale from the demo catalog, priced and settled like the till does it: a tee, two
 * coffees (the reduced tax band), three stickers with 10% off, paid in cash.
 */
export function demoSale(catalog: Catalog, opts: { at: Date; id: string }): Sale {
  const wanted: [string, number, number?][] = [
    ['TEE-LOGO-BLK-M', 1],
    ['CAF-ESP', 2],
    ['PRT-STK-LOGO', 3, 1000],
  ];
  const active = catalog.products.filter((p) => p.active);
  const picks = wanted.map(([sku, qty, bp], i) => {
    const product = active.find((p) => p.sku === sku) ?? active[i];
    if (!product) throw new CliError('The demo catalog has no products to sell', 1);
    return { product, qty, bp };
  });
  const lines: CartLine[] = picks.map(({ product, qty, bp }, i) => ({
    lineId: `L${i}`,
    sku: product.sku,
    name: product.name,
    unitPrice: product.price,
    qty,
    taxClassId: product.taxClassId,
    ...(bp ? { discount: { kind: 'percent' as const, bp } } : {}),
  }));
  const { store } = catalog;
  const taxRatesPpm = Object.fromEntries(catalog.taxClasses.map((t) => [t.id, t.ratePpm]));
  const cart = priceCart(lines, undefined, {
    pricesIncludeTax: store.pricesIncludeTax,
    taxRatesPpm,
  });
  // Paid with the next note up, so there is change to give.
  const note = 1000;
  const tenders: Tender[] = [{ kind: 'cash', amount: Math.floor(cart.total / note) * note + note }];
  const settled = settle(cart.total, tenders, store.cashRounding);
  if (!settled.ok) throw new CliError(settled.message, 1);
  return saleSchema.parse({
    id: opts.id,
    receiptNumber: 'DEMO-000001',
    deviceId: 'demo',
    seq: 1,
    shiftId: 'demo',
    staffId: catalog.staff[0]?.id ?? 'demo',
    staffName: catalog.staff[0]?.name ?? 'Demo',
    createdAt: opts.at.toISOString(),
    currency: store.currency,
    pricesIncludeTax: store.pricesIncludeTax,
    lines: cart.lines,
    subtotal: cart.subtotal,
    discountTotal: cart.discountTotal,
    tax: cart.tax,
    taxBands: cart.taxBands,
    total: cart.total,
    rounding: settled.value.rounding,
    tenders,
    change: settled.value.change,
  });
}

function columnsFor(width: string | undefined, columns: string | undefined): ReceiptWidth {
  if (columns !== undefined) {
    if (columns === '32' || columns === '42' || columns === '48')
      return Number(columns) as ReceiptWidth;
    throw new CliError(`--columns must be 32, 42 or 48, not "${columns}"`, 2);
  }
  if (width === undefined || width === '80') return 48;
  if (width === '58') return 32;
  throw new CliError(`--width must be 58 or 80 (mm), not "${width}"`, 2);
}

function parseReceiptArgs(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    options: {
      demo: { type: 'boolean' },
      sale: { type: 'string' },
      ledger: { type: 'string' },
      token: { type: 'string' },
      printer: { type: 'string' },
      language: { type: 'string' },
      width: { type: 'string' },
      columns: { type: 'string' },
      'returns-text': { type: 'string' },
      'shipping-text': { type: 'string' },
      timeout: { type: 'string' },
    },
  }).values;
}

function demoReceipt() {
  const catalog = loadDemoCatalog();
  const now = new Date();
  return {
    sale: demoSale(catalog, { at: now, id: ulid(now.getTime()) }),
    store: demoStoreSettings(catalog.store),
  };
}

function ledgerSale(v: ReturnType<typeof parseReceiptArgs>, timeout: number) {
  const saleId = v.sale ?? '';
  if (!saleId) throw new CliError('--sale needs a sale id', 2);
  if (!v.ledger) {
    throw new CliError('receipt --sale needs --ledger URL (e.g. http://192.168.1.10:4310)', 2);
  }
  const token = v.token ?? process.env.LEDGER_TOKEN;
  if (!token) {
    throw new CliError('receipt --sale needs a manager token: --token TOKEN or LEDGER_TOKEN', 2);
  }
  return fetchSale(v.ledger, token, saleId, timeout);
}

export async function receipt(args: string[]): Promise<string> {
  let v: ReturnType<typeof parseReceiptArgs>;
  try {
    v = parseReceiptArgs(args);
  } catch (error) {
    throw new CliError((error as Error).message, 2);
  }
  if (!v.printer) throw new CliError('receipt needs --printer (e.g. tcp://192.168.1.50:9100)', 2);
  const language = v.language ?? 'escpos';
  if (language !== 'escpos' && language !== 'star') {
    throw new CliError(`--language must be escpos or star, not "${language}"`, 2);
  }
  const columns = columnsFor(v.width, v.columns);
  const timeout = timeoutMs(v.timeout);
  if (v.demo && v.sale !== undefined) throw new CliError('Use --demo or --sale, not both', 2);
  if (!v.demo && v.sale === undefined) {
    throw new CliError('receipt needs --demo or --sale SALE_ID', 2);
  }

  const { sale, store } = v.sale !== undefined ? await ledgerSale(v, timeout) : demoReceipt();
  const doc = receiptDocument(sale, store, {
    width: columns,
    ...(v['returns-text'] !== undefined ? { returnsText: v['returns-text'] } : {}),
    ...(v['shipping-text'] !== undefined ? { shippingText: v['shipping-text'] } : {}),
  });
  const bytes = encodeReceipt(doc, { language });
  const result = await sendToPrinter(v.printer, bytes, {
    connectTimeoutMs: timeout,
    statusCheck: true,
    statusDialect: language,
  });
  if (!result.ok) throw new CliError(result.message, 1);
  const what = `receipt ${sale.receiptNumber} (${columns} columns, ${language}, ${bytes.length} bytes)`;
  return result.unconfirmed
    ? `Sent ${what} to ${v.printer}, not confirmed: it took the job but did not say it printed (check before printing again)`
    : `Printed ${what} on ${v.printer}`;
}

/** Each subcommand takes the arguments after its name and returns what to tell the operator. */
const subcommands: Record<string, (args: string[]) => Promise<string>> = {
  receipt,
  labels,
  sign,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const run = subcommands[name];
  if (!run) {
    console.error(`Unknown command "${name}": use ${Object.keys(subcommands).join(' or ')}`);
    return 2;
  }
  try {
    console.log(await run(args));
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      console.error(error.message);
      return error.exitCode;
    }
    throw error;
  }
}

function invokedDirectly(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
