// CLI that writes the demo catalog (assets/demo-catalog.json) or a large benchmark catalog.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { catalogSchema } from '../shared/catalog';
import { createRng, seedFromText } from '../shared/rng';
import { buildDemoCatalog, buildLargeCatalog, DEMO_SEED, serializeCatalog } from './catalog-data';

const USAGE = `Usage: npm run catalog -- [--large N] [--seed S] [--out FILE]

  (no options)  write the demo catalog to assets/demo-catalog.json (committed)
  --large N     write N benchmark products instead (default out: dist/bench/catalog-<N>.json)
  --seed S      a whole number or any text (default ${DEMO_SEED})
  --out FILE    where to write`;

const root = fileURLToPath(new URL('..', import.meta.url));

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function parseSeed(text: string | undefined): number {
  if (text === undefined) return DEMO_SEED;
  return /^\d+$/.test(text) ? Number(text) >>> 0 : seedFromText(text);
}

/** "50000" → "50k", "1200000" → "1.2M": for the default benchmark file name. */
function shortCount(n: number): string {
  if (n >= 1_000_000 && n % 100_000 === 0) return `${n / 1_000_000}M`;
  if (n >= 1_000 && n % 100 === 0) return `${n / 1_000}k`;
  return String(n);
}

async function main(): Promise<void> {
  let values: { large?: string; seed?: string; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        large: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }

  const large = values.large === undefined ? undefined : Number(values.large);
  if (large !== undefined && (!Number.isSafeInteger(large) || large < 1)) {
    fail(`--large needs a whole number of products, got "${values.large}"`);
  }
  const rng = createRng(parseSeed(values.seed));
  const out = values.out
    ? resolve(values.out)
    : large === undefined
      ? resolve(root, 'assets/demo-catalog.json')
      : resolve(root, `dist/bench/catalog-${shortCount(large)}.json`);

  const started = performance.now();
  const built =
    large === undefined ? await buildDemoCatalog(rng) : await buildLargeCatalog(large, rng);
  // The file is a boundary: whatever reads it will validate it, so never write what would not pass.
  const catalog = catalogSchema.parse(built);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, serializeCatalog(catalog));

  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const categories = new Set(catalog.products.map((p) => p.category)).size;
  const active = catalog.products.filter((p) => p.active).length;
  console.log(
    `Wrote ${catalog.products.length} products (${active} active) in ${categories} categories ` +
      `to ${relative(process.cwd(), out) || out} in ${seconds} s`,
  );
}

await main();
