// Driving the till for the bench: setting it up from Node, and the probes that run inside the page and time it there.

/**
 * Set a fresh till up standalone, log in as the manager, load the catalog file from Settings and
 * open a shift, ending on a sell screen that has finished loading. Returns the catalog's load time in ms.
 */
export async function setUpTill(page, url, catalogFile, productCount) {
  await page.goto(url);
  // A fresh till asks to pair with a ledger; the bench runs it alone, with no network in the way.
  const standalone = page.getByRole('button', { name: 'Try it with demo data' });
  const pin = page.getByText('Staff PIN');
  await standalone.or(pin).first().waitFor();
  if (await standalone.isVisible()) await standalone.click();
  await pin.waitFor();
  await page.keyboard.type('9999', { delay: 20 }); // Niamh, a manager: only managers see Settings
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const started = performance.now();
  await page.getByLabel('Load a catalog file (JSON)').setInputFiles(catalogFile);
  // Either the new product count, or the import's own error (e.g. the file no longer fits the schema).
  const outcome = await page.waitForFunction(
    (want) => {
      const infoEl = document.querySelector('[data-testid="catalog-info"]');
      const info = infoEl?.textContent ?? '';
      // Only the catalog section's own error: other panels (e.g. printing without a device host) have theirs.
      const section = infoEl?.closest('section') ?? document;
      const errors = [...section.querySelectorAll('.error')].map((e) => e.textContent);
      return info.startsWith(want) ? 'loaded' : errors.find((text) => text?.trim());
    },
    `${productCount.toLocaleString('en-IE')} products`,
    { timeout: 120_000, polling: 50 },
  );
  const result = await outcome.jsonValue();
  if (result !== 'loaded') throw new Error(`the till did not load the catalog: ${result}`);
  const loadMs = performance.now() - started;
  await page.getByRole('button', { name: 'Shift', exact: true }).click();
  await page.getByLabel('Opening float (cash in the drawer)').fill('100');
  await page.getByRole('button', { name: 'Open shift' }).click();
  await page.getByText('Scan or tap a product to start a sale.').waitFor();
  await page.locator('.tile').first().waitFor();
  return loadMs;
}

/**
 * Puts `window.__bench` in the page: each probe takes a batch of inputs and returns one time
 * per input, in ms from the user's action to the DOM showing its result.
 *
 * page.evaluate sends this function's source text to the page, so it must be self-contained
 * (no imports, no outer variables) and stay plain JavaScript: tsx would wrap its inner
 * functions in a `__name` helper the page does not have.
 */
export function installProbes() {
  const SENTINEL = 'qqzxqq'; // a search no product word starts with: the grid's "nothing found" state

  /** Resolves with performance.now() at the first DOM change after which `check()` holds. */
  const until = (what, check, timeoutMs = 15_000) =>
    new Promise((resolve, reject) => {
      if (check()) return resolve(performance.now());
      const observer = new MutationObserver(() => {
        if (!check()) return;
        stop();
        resolve(performance.now());
      });
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`gave up after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const stop = () => {
        observer.disconnect();
        clearTimeout(timer);
      };
      observer.observe(document.body, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
    });

  // Buttons by the start of their text: labels may gain key hints (<kbd>F9</kbd>) or amounts.
  const button = (pattern) =>
    [...document.querySelectorAll('button')].find(
      (b) => !b.disabled && pattern.test(b.textContent.trim()),
    );
  const press = async (what, pattern) => {
    await until(what, () => button(pattern) !== undefined);
    button(pattern).click();
  };

  const qtyInCart = (sku) => {
    const qty = document.querySelector(`.cart-line[data-sku="${CSS.escape(sku)}"] .qty`);
    return qty ? Number(qty.textContent) : 0;
  };

  /** One scan the way the scanner hook sees it: keydowns on the page ending in Enter. */
  const scan = async ({ code, sku }) => {
    const want = qtyInCart(sku) + 1;
    const started = performance.now();
    for (const key of [...code, 'Enter']) {
      document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
    }
    const shown = await until(`${sku} × ${want} in the cart`, () => qtyInCart(sku) === want);
    return shown - started;
  };

  const searchBox = () => document.querySelector('input[aria-label="Search products"]');
  // React tracks the value it last set; the prototype setter bypasses that so the input event counts.
  const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
  const typeSearch = (text) => {
    const input = searchBox();
    setValue.call(input, text);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const resultsShow = (query) => {
    const line = document.querySelector('.results-line')?.textContent;
    const tiles = document.querySelectorAll('.tile').length;
    return { line, tiles, matches: line === `${tiles} found for “${query}”` };
  };

  /**
   * Time one query from "nothing found" to its tiles. Starting from an empty grid makes the
   * end unambiguous: while Dexie works, useLiveQuery keeps the previous (empty) result, so
   * "N found" with N matching tiles > 0 can only be the new answer.
   */
  const search = async (query) => {
    typeSearch(SENTINEL);
    await until('the empty search', () => {
      const r = resultsShow(SENTINEL);
      return r.matches && r.tiles === 0;
    });
    const started = performance.now();
    typeSearch(query);
    const shown = await until(`results for “${query}”`, () => {
      const r = resultsShow(query.trim());
      return r.matches && r.tiles > 0;
    });
    return shown - started;
  };

  const clearSearch = async () => {
    typeSearch('');
    searchBox().blur();
    await until('the category grid', () => document.querySelector('.results-line') === null);
  };

  const cartIsEmpty = () => document.querySelector('.cart-line') === null;

  /** Empty the cart through the Void flow (what a cashier does), untimed. */
  const voidCart = async () => {
    if (cartIsEmpty()) return;
    await press('the Void button', /^Void$/);
    await press('the Void sale button', /^Void sale/);
    await until('an empty cart', cartIsEmpty);
  };

  /** Ring up `items`, pay the exact cash, and time Complete sale → "Paid". */
  const sale = async (items) => {
    for (const item of items) await scan(item);
    await press('the Pay button', /^Pay /);
    await press('the Exact cash button', /^Exact /);
    await until('the change line', () => document.querySelector('[data-testid="change"]'));
    await until('Complete sale', () => button(/^Complete sale/) !== undefined);
    const complete = button(/^Complete sale/);
    const started = performance.now();
    complete.click();
    const shown = await until('the Paid title', () => document.querySelector('.paid-title'));
    await press('the New sale button', /^New sale/);
    // Let the sell screen finish loading (categories, then tiles) as it would while the next
    // customer steps up; until then its category query keeps IndexedDB busy and would be
    // charged to the next sale.
    await until('the category grid', () => cartIsEmpty() && document.querySelector('.tile'));
    return shown - started;
  };

  const inTurn = async (inputs, measure) => {
    const times = [];
    for (const input of inputs) times.push(await measure(input));
    return times;
  };

  /**
   * What the disk flush alone costs: one tiny read-write transaction (the counters row read and
   * put back unchanged) with strict durability, then the same relaxed. Strict waits for the
   * disk like a sale's commit does; the difference is the flush.
   */
  const flush = async (runs) => {
    const db = await new Promise((done, fail) => {
      const open = indexedDB.open('poptill');
      open.onsuccess = () => done(open.result);
      open.onerror = () => fail(open.error);
    });
    const once = (durability) =>
      new Promise((done, fail) => {
        const started = performance.now();
        const tx = db.transaction('settings', 'readwrite', { durability });
        const store = tx.objectStore('settings');
        const get = store.get('counters');
        get.onsuccess = () => store.put(get.result);
        tx.oncomplete = () => done(performance.now() - started);
        tx.onerror = () => fail(tx.error);
      });
    const out = { strict: [], relaxed: [] };
    for (let i = 0; i < runs; i++) {
      out.strict.push(await once('strict'));
      out.relaxed.push(await once('relaxed'));
    }
    db.close();
    return out;
  };

  window.__bench = {
    flush,
    scan: (items) => inTurn(items, scan),
    search: (queries) => inTurn(queries, search),
    sale: (baskets) => inTurn(baskets, sale),
    voidCart,
    clearSearch,
  };
}
