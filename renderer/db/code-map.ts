// The till's in-memory barcode/SKU map: a scan finds its product without waiting for IndexedDB or a sync transaction.
import { WordIndex } from '../search/word-index';
import type { PosDb, ProductRow } from './db';
import { eachProductGroup } from './product-pages';

/** What changed in the products table, announced by whoever wrote it once its transaction committed. */
export type ProductChange =
  | { type: 'put'; rows: ProductRow[] }
  | { type: 'delete'; skus: string[] }
  /** After a full snapshot or an imported catalog: every other product is gone. */
  | { type: 'keep-only'; skus: string[] };

// Pages read per IndexedDB request while warming up (~50 products each at 50k, ~200 at 200k):
// each step's indexing stays a short UI task, so a scan's keys get in between.
const PAGES_PER_READ = 16;

// One collator for every sort: localeCompare builds one per call, ~10× slower over a 1,500-product category.
const byName = new Intl.Collator().compare;

/** A UPC-A arrives as 12 digits or as its 13-digit EAN form (a leading 0): one key for both. */
export function codeKey(code: string): string {
  return /^0\d{12}$/.test(code) ? code.slice(1) : code;
}

export class CodeMap {
  private readonly bySku = new Map<string, ProductRow>();
  private readonly byCode = new Map<string, string[]>();
  private readonly words = new WordIndex();
  private readonly byCategory = new Map<string, Set<string>>();
  /** Each category's active products by name, as last listed; dropped when one of them changes. */
  private readonly sortedCategory = new Map<string, ProductRow[]>();
  /** Bumped on every change, so a view that lists products knows to list them again. */
  private version = 0;
  private readonly listeners = new Set<() => void>();
  /** SKUs announced while warming: the page read that follows may hold an older row. */
  private touched: Set<string> | null = new Set();
  ready = false;

  apply(change: ProductChange): void {
    if (change.type === 'put') {
      for (const row of change.rows) {
        this.touched?.add(row.sku);
        this.put(row);
      }
    } else if (change.type === 'delete') {
      for (const sku of change.skus) {
        this.touched?.add(sku);
        this.remove(sku);
      }
    } else {
      const keep = new Set(change.skus);
      for (const sku of [...this.bySku.keys()]) if (!keep.has(sku)) this.remove(sku);
    }
    this.changed();
  }

  /** Hear about every change (and the end of the warm-up); returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Changes so far: equal numbers, same products. */
  get changes(): number {
    return this.version;
  }

  private changed(): void {
    this.version++;
    for (const listener of this.listeners) listener();
  }

  /** Products by SKU, as stored (undefined where unknown). */
  get(sku: string): ProductRow | undefined {
    return this.bySku.get(sku);
  }

  /** Category names of the products held, alphabetical (a category with only inactive products too, as the index listed it). */
  categories(): string[] {
    return [...this.byCategory]
      .filter(([, skus]) => skus.size > 0)
      .map(([c]) => c)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Active products of a category by name, at most `limit` (sorted once per change of the category). */
  inCategory(category: string, limit: number): ProductRow[] {
    let rows = this.sortedCategory.get(category);
    if (!rows) {
      rows = [];
      for (const sku of this.byCategory.get(category) ?? []) {
        const row = this.bySku.get(sku);
        if (row?.active) rows.push(row);
      }
      rows.sort((a, b) => byName(a.name, b.name));
      this.sortedCategory.set(category, rows);
    }
    return rows.slice(0, limit);
  }

  /** The active product a code stands for: a barcode first, then an exact SKU. */
  find(code: string): ProductRow | undefined {
    for (const sku of this.byCode.get(codeKey(code)) ?? []) {
      const row = this.bySku.get(sku);
      if (row?.active) return row;
    }
    const bySku = this.bySku.get(code.toUpperCase());
    return bySku?.active ? bySku : undefined;
  }

  /** The product with this exact SKU (any case typed), active or not. */
  bySkuTyped(typed: string): ProductRow | undefined {
    return this.bySku.get(typed) ?? this.bySku.get(typed.toUpperCase());
  }

  /** Products with a word starting with `prefix`, active or not, in word order. */
  *withWordStarting(prefix: string): Generator<ProductRow> {
    for (const sku of this.words.skusStartingWith(prefix)) {
      const row = this.bySku.get(sku);
      if (row) yield row;
    }
  }

  get size(): number {
    return this.bySku.size;
  }

  /** Read the catalog's pages a group at a time, yielding between groups, then answer from memory. */
  async warm(db: PosDb): Promise<void> {
    await eachProductGroup(
      db,
      async (rows) => {
        for (const row of rows) if (!this.touched?.has(row.sku)) this.put(row);
        await new Promise((resolve) => setTimeout(resolve, 0));
      },
      PAGES_PER_READ,
    );
    this.touched = null;
    this.ready = true;
    this.changed();
  }

  private put(row: ProductRow): void {
    const old = this.bySku.get(row.sku);
    if (old && sameKeys(old, row)) {
      // A new price or flag only (most of a delta): found by the same words, codes and category.
      this.bySku.set(row.sku, row);
      this.sortedCategory.delete(row.category);
      return;
    }
    this.remove(row.sku);
    this.bySku.set(row.sku, row);
    this.words.add(row);
    this.sortedCategory.delete(row.category);
    const inCategory = this.byCategory.get(row.category);
    if (inCategory) inCategory.add(row.sku);
    else this.byCategory.set(row.category, new Set([row.sku]));
    for (const code of row.barcodes) {
      const key = codeKey(code);
      const skus = this.byCode.get(key);
      if (skus) skus.push(row.sku);
      else this.byCode.set(key, [row.sku]);
    }
  }

  private remove(sku: string): void {
    const old = this.bySku.get(sku);
    if (!old) return;
    this.bySku.delete(sku);
    this.words.remove(old);
    this.byCategory.get(old.category)?.delete(sku);
    this.sortedCategory.delete(old.category);
    for (const code of old.barcodes) {
      const key = codeKey(code);
      const skus = this.byCode.get(key)?.filter((s) => s !== sku) ?? [];
      if (skus.length > 0) this.byCode.set(key, skus);
      else this.byCode.delete(key);
    }
  }
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** Whether a product is found the same way as before: its words, codes and category unchanged. */
function sameKeys(old: ProductRow, row: ProductRow): boolean {
  return (
    old.category === row.category &&
    sameList(old.words, row.words) &&
    sameList(old.barcodes, row.barcodes)
  );
}

const channelName = (dbName: string) => `poptill-products:${dbName}`;
/** This context, so it skips its own announcements (already applied when they were made). */
const here = `${Date.now()}-${Math.random()}`;
type Announcement = { from: string; change: ProductChange | { type: 'reload' } };
// Rows applied per UI task from another context's announcements: a scan's key events get in between.
const SLICE = 250;

interface Held {
  db: PosDb;
  map: CodeMap;
  channel: BroadcastChannel;
  /** True once warm; false if it could not be read (answers then come from IndexedDB). */
  warmed: Promise<boolean>;
}
const maps = new Map<string, Held>();
/** Who hears about catalog changes, per database: they outlive a map replaced after an import. */
const catalogListeners = new Map<string, Set<() => void>>();
/** The last map of each database that finished warming: answers in-transaction reads while a new one warms. */
const lastReady = new Map<string, CodeMap>();
const senders = new Map<string, BroadcastChannel>();

/** Node keeps its event loop alive for an open channel (tests); a browser has no unref. */
function unref(channel: BroadcastChannel): BroadcastChannel {
  (channel as { unref?: () => void }).unref?.();
  return channel;
}

function slices(change: ProductChange): ProductChange[] {
  if (change.type !== 'put') return [change];
  const out: ProductChange[] = [];
  for (let i = 0; i < change.rows.length; i += SLICE)
    out.push({ type: 'put', rows: change.rows.slice(i, i + SLICE) });
  return out;
}

function hold(db: PosDb): Held {
  const map = new CodeMap();
  map.subscribe(() => {
    for (const listener of catalogListeners.get(db.name) ?? []) listener();
  });
  const channel = unref(new BroadcastChannel(channelName(db.name)));
  const queue: ProductChange[] = [];
  const drain = () => {
    const next = queue.shift();
    if (next) map.apply(next);
    if (queue.length > 0) setTimeout(drain, 0);
  };
  channel.onmessage = (event: MessageEvent<Announcement>) => {
    const { from, change } = event.data;
    if (from === here) return;
    if (change.type === 'reload') {
      reload(db);
      return;
    }
    if (queue.length === 0) setTimeout(drain, 0);
    queue.push(...slices(change));
  };
  const warmed = map.warm(db).then(
    () => {
      lastReady.set(db.name, map);
      return true;
    },
    (error: unknown) => {
      // Scans keep working from IndexedDB; the map is tried again on the next use.
      console.warn('The in-memory product map could not be read; scans use the database.', error);
      channel.close();
      if (maps.get(db.name)?.map === map) maps.delete(db.name);
      return false;
    },
  );
  const held = { db, map, channel, warmed };
  maps.set(db.name, held);
  return held;
}

function heldFor(db: PosDb): Held {
  const held = maps.get(db.name);
  if (held && (held.db === db || held.db.isOpen())) return held;
  held?.channel.close();
  return hold(db);
}

function reload(db: PosDb): void {
  const held = maps.get(db.name);
  if (!held) return;
  held.channel.close();
  maps.delete(db.name);
  hold(held.db);
}

/**
 * This context's map for `db`, warming up on first use and kept current by every writer's
 * announcements (the sync worker's through a BroadcastChannel). Until warm, `ready` is false.
 */
export function codeMapFor(db: PosDb): CodeMap {
  return heldFor(db).map;
}

/** Hear about every change to `db`'s products in this context (the map's warm-up too); returns the unsubscribe. */
export function subscribeCatalog(db: PosDb, listener: () => void): () => void {
  let set = catalogListeners.get(db.name);
  if (!set) {
    set = new Set();
    catalogListeners.set(db.name, set);
  }
  set.add(listener);
  heldFor(db);
  return () => set.delete(listener);
}

/**
 * A warm map to answer at once, without waiting: this context's if warm, else the one before it
 * (while a new catalog is read into a fresh map); null if none ever warmed here. For reads
 * inside a transaction, which must not wait for anything but IndexedDB.
 */
export function readyCodeMap(db: PosDb): CodeMap | null {
  const map = heldFor(db).map;
  return map.ready ? map : (lastReady.get(db.name) ?? null);
}

/** The map once warm, or null when it cannot be read: then ask IndexedDB. */
export async function warmCodeMap(db: PosDb): Promise<CodeMap | null> {
  const held = heldFor(db);
  return held.map.ready || (await held.warmed) ? held.map : null;
}

function post(db: PosDb, announcement: Announcement): void {
  let sender = senders.get(db.name);
  if (!sender) {
    sender = unref(new BroadcastChannel(channelName(db.name)));
    senders.set(db.name, sender);
  }
  sender.postMessage(announcement);
}

/** Tell this context's map and every other context's (the UI, when the worker wrote) what changed. */
export function announceProducts(db: PosDb, change: ProductChange): void {
  maps.get(db.name)?.map.apply(change);
  post(db, { from: here, change });
}

/**
 * After a whole catalog was replaced: every map reads the table again in the background (cheaper
 * on the UI thread than taking 50k rows in one message); until then scans wait for that read.
 */
export function announceCatalogReplaced(db: PosDb): void {
  reload(db);
  post(db, { from: here, change: { type: 'reload' } });
}
