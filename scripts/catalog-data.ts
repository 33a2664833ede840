// Demo and benchmark catalogs built deterministically from a seeded rng (pure: no I/O, no clock).
import { DEMO_STORE_PROMISES } from '../server/demo-store';
import { withCheckDigit } from '../shared/barcode';
import type {
  Catalog,
  Product,
  Staff,
  StaffRole,
  StoreSettings,
  TaxClass,
} from '../shared/catalog';
import type { Minor } from '../shared/money';
import { hashPin } from '../shared/pin';
import { createRng, type Rng, seedFromText } from '../shared/rng';

/** The seed behind the committed assets/demo-catalog.json. */
export const DEMO_SEED = 2025;

type TaxClassId = 'standard' | 'reduced';

export const demoTaxClasses: TaxClass[] = [
  { id: 'standard', name: 'Standard 23%', ratePpm: 230_000 },
  { id: 'reduced', name: 'Reduced 13.5%', ratePpm: 135_000 },
];

export const demoStore: StoreSettings = {
  storeId: 'northside-pop-up',
  name: 'Northside Pop-Up',
  currency: 'EUR',
  locale: 'en-IE',
  timeZone: 'Europe/Dublin',
  pricesIncludeTax: true,
  cashRounding: 5,
  cashQuickAmounts: [500, 1000, 2000, 5000],
  denominations: [5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1],
  blindCount: true,
  address: ['Stall 12, Smithfield Square', 'Smithfield, Dublin 7', 'Ireland'],
  // The returns and shipping promises print on every receipt; the footer no longer repeats them.
  receiptFooter: 'Thanks for shopping local! Your statutory rights are not affected.',
  ...DEMO_STORE_PROMISES,
};

type DemoStaffPin = { id: string; name: string; role: StaffRole; pin: string };

/** The demo staff and their PINs. The PINs are public (README): demo data, never real staff. */
export const demoStaffPins: readonly DemoStaffPin[] = [
  { id: 'staff-aoife', name: 'Aoife', role: 'cashier', pin: '1234' },
  { id: 'staff-cian', name: 'Cian', role: 'lead', pin: '2580' },
  { id: 'staff-niamh', name: 'Niamh', role: 'manager', pin: '9999' },
];

// biome-ignore format: a lookup table
const COLOURS: Record<string, string> = {
  BLK: 'Black', WHT: 'White', GRN: 'Bottle Green', NVY: 'Navy', SND: 'Sand', GRY: 'Heather Grey',
  CRM: 'Cream', OLV: 'Olive', RED: 'Red', ORG: 'Orange', BRN: 'Brown', PNK: 'Pink',
};
const APPAREL = ['S', 'M', 'L', 'XL', 'XXL'];
const OUTER = ['S', 'M', 'L', 'XL'];

type Line = {
  code: string;
  name: string;
  price: Minor;
  colours?: string[];
  sizes?: string[];
  /** Overrides the section's tax class. */
  tax?: TaxClassId;
  drop?: string;
  active?: boolean;
};
type Section = { category: string; code: string; tax: TaxClassId; sizes?: string[]; lines: Line[] };

const WINTER = 'Winter Drop 01';
const RISO = 'Riso Drop 02';

const sticker = (code: string, name: string, price = 300): Line => ({
  code: `STK-${code}`,
  name: `${name} Sticker`,
  price,
});
const riso = (code: string, title: string): Line[] => [
  { code: `RSO-${code}-A4`, name: `Riso Print '${title}' A4`, price: 1800 },
  { code: `RSO-${code}-A3`, name: `Riso Print '${title}' A3`, price: 2800 },
];
const postcard = (code: string, title: string): Line => ({
  code: `PC-${code}`,
  name: `Postcard – ${title}`,
  price: 250,
});
const pin = (code: string, name: string): Line => ({
  code: `PIN-${code}`,
  name: `${name} Enamel Pin`,
  price: 1200,
});
const zine = (n: number): Line => ({
  code: `ZIN-${n}`,
  name: `Northside Zine Issue ${n}`,
  price: n < 4 ? 800 : 1000,
  tax: 'reduced',
});

// Irish VAT, simplified to the two demo classes: hot drinks, bakery and coffee beans go
// in "reduced" (beans are really 0%), zines too (periodicals are really 9%, books 0%);
// soft drinks, crisps and chocolate are standard-rated in Ireland, as are goods.
// biome-ignore format: a data table reads best one line per product line
const DEMO_SECTIONS: Section[] = [
  { category: 'Tees', code: 'TEE', tax: 'standard', sizes: APPAREL, lines: [
    { code: 'LOGO', name: 'Northside Logo Tee', price: 2995, colours: ['BLK', 'WHT', 'GRN'] },
    { code: 'LIF', name: 'Liffey Waves Tee', price: 3200, colours: ['WHT', 'SND'] },
    { code: 'HAP', name: "Ha'penny Bridge Tee", price: 3200, colours: ['BLK'] },
    { code: 'PIG', name: 'Northside Pigeon Tee', price: 2995, colours: ['GRY', 'WHT'] },
    { code: 'SPR', name: 'Spire Tee', price: 2995, colours: ['NVY'] },
    { code: 'LS', name: 'Long Sleeve Logo Tee', price: 3900, colours: ['BLK', 'CRM'] },
    // Last season's tee, kept (inactive) so returns and old receipts still find it.
    { code: 'SS24', name: "Summer Sessions '24 Tee", price: 2500, colours: ['WHT'], sizes: ['M', 'L'], active: false },
  ] },
  { category: 'Hoodies & Jackets', code: 'HOD', tax: 'standard', sizes: OUTER, lines: [
    { code: 'LOGO', name: 'Northside Logo Hoodie', price: 6500, colours: ['BLK', 'GRY', 'GRN'] },
    { code: 'LIF', name: 'Liffey Waves Hoodie', price: 6995, colours: ['NVY'] },
    { code: 'ZIP', name: 'Heavyweight Zip Hoodie', price: 7500, colours: ['BLK', 'OLV'] },
    { code: 'CRW', name: 'Embroidered Crewneck', price: 5500, colours: ['CRM', 'NVY'] },
    { code: 'COA', name: 'Coach Jacket', price: 8500, colours: ['BLK'] },
    { code: 'PUF', name: 'Northside Puffer Vest (Limited)', price: 12000, colours: ['BLK'], sizes: ['S', 'M', 'L'], drop: WINTER },
  ] },
  { category: 'Headwear', code: 'HAT', tax: 'standard', lines: [
    { code: 'CAP5', name: '5-Panel Camp Cap', price: 3200, colours: ['BLK', 'NVY', 'SND', 'OLV'] },
    { code: 'DAD', name: 'Northside Dad Cap', price: 2800, colours: ['BLK', 'WHT', 'GRN', 'PNK'] },
    { code: 'TRK', name: 'Trucker Cap', price: 2500, colours: ['BLK', 'RED'] },
    { code: 'BNE', name: 'Ribbed Beanie', price: 2200, colours: ['BLK', 'GRY', 'ORG', 'GRN', 'CRM', 'BRN'] },
    { code: 'BKT', name: 'Cord Bucket Hat', price: 3500, colours: ['SND', 'BRN'], sizes: ['S-M', 'L-XL'] },
    { code: 'BNE-NUM', name: 'Numbered Wool Beanie (1 of 100)', price: 3500, colours: ['GRN'], drop: WINTER },
    { code: 'CAP-REF', name: 'Reflective 6-Panel Cap', price: 3900, drop: WINTER },
  ] },
  { category: 'Socks', code: 'SOK', tax: 'standard', sizes: ['37-41', '42-46'], lines: [
    { code: 'LOGO', name: 'Logo Sports Socks', price: 1200, colours: ['WHT', 'BLK'] },
    { code: 'PIG', name: 'Pigeon Socks', price: 1295, colours: ['GRY'] },
    { code: 'SPB', name: 'Spice Bag Socks', price: 1295, colours: ['RED'] },
    { code: 'SWM', name: 'Liffey Swimmer Socks', price: 1295, colours: ['NVY'] },
    { code: 'WOOL', name: 'Wool Hiking Socks', price: 1800, colours: ['OLV', 'BRN'] },
    { code: '3PK', name: 'Logo Socks 3-Pack', price: 3000, colours: ['WHT', 'BLK'] },
  ] },
  { category: 'Bags', code: 'BAG', tax: 'standard', lines: [
    { code: 'TOTE-LOGO', name: 'Northside Logo Tote', price: 1500, colours: ['CRM', 'BLK'] },
    { code: 'TOTE-LIF', name: 'Liffey Waves Tote', price: 1500, colours: ['CRM'] },
    { code: 'TOTE-PIG', name: 'Pigeon Tote', price: 1500, colours: ['CRM'] },
    { code: 'TOTE-SHOP', name: 'Shop Local Tote', price: 1200, colours: ['CRM'] },
    { code: 'TOTE-HVY', name: 'Heavyweight Market Tote', price: 2500, colours: ['BLK', 'OLV'] },
    { code: 'XBODY', name: 'Cross-Body Bag', price: 3500, colours: ['BLK'] },
    { code: 'GYM', name: 'Drawstring Gym Sack', price: 1500, colours: ['BLK', 'NVY'] },
    { code: 'BPK', name: 'Canvas Backpack', price: 5500, colours: ['BLK', 'OLV'] },
    { code: 'POUCH', name: 'Mini Coin Pouch', price: 800, colours: ['BLK', 'ORG'] },
    { code: 'TOTE-HP', name: 'Hand-Printed Tote (1 of 40)', price: 3000, drop: RISO },
  ] },
  { category: 'Prints & Zines', code: 'PRT', tax: 'standard', lines: [
    sticker('LOGO', 'Logo'), sticker('PIG', 'Pigeon'), sticker('SPB', 'Spice Bag'),
    sticker('HAP', "Ha'penny Bridge"), sticker('SWM', 'Liffey Swimmer'), sticker('SPR', 'Spire'),
    sticker('HRS', 'Smithfield Horse'), sticker('SWN', 'Grand Canal Swan'), sticker('GUL', 'Chip Thief Seagull'),
    sticker('RAIN', 'Rain Again'), sticker('GRAND', 'Grand Stretch'), sticker('DEAD', 'Deadly', 350),
    sticker('GAS', 'Gas Craic', 350), sticker('HOLO', 'Holographic Logo', 450), sticker('GLOW', 'Glow-in-the-Dark Spire', 450),
    { ...sticker('HALO', 'Halloween Pumpkin'), active: false }, // seasonal: back in October
    { code: 'STK-PK10', name: 'Sticker Pack (10)', price: 1500 },
    { code: 'STK-MYST', name: 'Mystery Sticker Bag', price: 500 },
    ...riso('LIF', 'Liffey at Dusk'), ...riso('HRS', 'Smithfield Horses'), ...riso('PIG', 'Pigeon Parliament'),
    ...riso('DOCK', 'Docklands Cranes'), ...riso('DEER', 'Phoenix Park Deer'), ...riso('MOORE', 'Moore Street Market'),
    postcard('HAP', "Ha'penny Bridge"), postcard('SPR', 'The Spire'), postcard('PIG', 'Pigeon Parliament'),
    postcard('DOCK', 'Docklands'), postcard('DEER', 'Phoenix Park'), postcard('CAN', 'Grand Canal'),
    { code: 'PC-SET', name: 'Postcard Set (6)', price: 1200 },
    { code: 'RSO-NIGHT-A2', name: "Signed A2 Riso 'Liffey at Night' (ed. of 50)", price: 4500, drop: RISO },
    zine(1), zine(2), zine(3), zine(4), zine(5), zine(6),
    { code: 'ZIN-SPB', name: 'The Spice Bag Field Guide (zine)', price: 900, tax: 'reduced' },
    { code: 'ZIN-PIG', name: 'Dublin Pigeon Almanac', price: 1200, tax: 'reduced' },
    { code: 'ZIN-COL', name: 'Riso Colouring Book', price: 1500, tax: 'reduced' },
    { code: 'ZIN-DIARY', name: 'Market Stall Diaries', price: 1000, tax: 'reduced' },
    { code: 'ZIN-0', name: 'Foil Cover Zine #0 (ed. of 100)', price: 1500, tax: 'reduced', drop: RISO },
  ] },
  { category: 'Coffee & Snacks', code: 'CAF', tax: 'reduced', lines: [
    { code: 'ESP', name: 'Espresso', price: 250 }, { code: 'AME', name: 'Americano', price: 300 },
    { code: 'FW', name: 'Flat White', price: 380 }, { code: 'CAP', name: 'Cappuccino', price: 390 },
    { code: 'LAT', name: 'Latte', price: 400 }, { code: 'MOC', name: 'Mocha', price: 420 },
    { code: 'CHAI', name: 'Chai Latte', price: 420 }, { code: 'HOT', name: 'Hot Chocolate', price: 380 },
    { code: 'TEA', name: 'Irish Breakfast Tea', price: 250 }, { code: 'ICE', name: 'Iced Latte', price: 450 },
    { code: 'MAT', name: 'Matcha Latte', price: 450 }, { code: 'CRO', name: 'Butter Croissant', price: 350 },
    { code: 'PAC', name: 'Pain au Chocolat', price: 380 }, { code: 'CIN', name: 'Cinnamon Bun', price: 420 },
    { code: 'BRW', name: 'Chocolate Brownie', price: 395 }, { code: 'BAN', name: 'Banana Bread Slice', price: 395 },
    { code: 'SCN', name: 'Fruit Scone with Butter & Jam', price: 350 }, { code: 'TST', name: 'Ham & Cheese Toastie', price: 650 },
    { code: 'BEAN', name: 'House Blend Coffee Beans 250g', price: 1400 },
    { code: 'H2O', name: 'Sparkling Water 500ml', price: 250, tax: 'standard' },
    { code: 'COLA', name: 'Craft Cola 330ml', price: 295, tax: 'standard' },
    { code: 'ORNG', name: 'Blood Orange Soda 330ml', price: 295, tax: 'standard' },
    { code: 'CRSP', name: 'Sea Salt Crisps', price: 195, tax: 'standard' },
    { code: 'CHOC', name: 'Dark Chocolate Bar 70%', price: 350, tax: 'standard' },
  ] },
  { category: 'Accessories', code: 'ACC', tax: 'standard', lines: [
    pin('LOGO', 'Logo'), pin('PIG', 'Pigeon'), pin('SPB', 'Spice Bag'), pin('SPR', 'Spire'), pin('GUL', 'Seagull'), pin('SWN', 'Swan'),
    { code: 'KEY-OPEN', name: 'Bottle Opener Keyring', price: 1000 },
    { code: 'KEY-WOV', name: 'Woven Keyring', price: 800, colours: ['BLK', 'GRN', 'ORG'] },
    { code: 'PAT-LOGO', name: 'Logo Patch', price: 800 }, { code: 'PAT-PIG', name: 'Pigeon Patch', price: 800 },
    { code: 'PAT-LIF', name: 'Liffey Waves Patch', price: 800 }, { code: 'PAT-DEAD', name: 'Deadly Patch', price: 800 },
    { code: 'LAN', name: 'Logo Lanyard', price: 1000, colours: ['BLK', 'GRN'] },
    { code: 'BAND', name: 'Paisley Bandana', price: 1500, colours: ['RED', 'NVY', 'BLK'] },
    { code: 'SUN', name: 'Round Sunglasses', price: 2500, colours: ['BLK', 'BRN'] },
    { code: 'MUG', name: 'Enamel Camp Mug', price: 1800, colours: ['WHT', 'BLK'] },
    { code: 'UMB', name: 'Compact Umbrella', price: 2500, colours: ['BLK'] },
    { code: 'CNDL', name: 'Turf Smoke Candle', price: 2400 },
    { code: 'STRAP', name: 'Beaded Phone Strap', price: 1200 },
    { code: 'BTL', name: 'Steel Water Bottle', price: 2200, colours: ['BLK', 'WHT'] },
    { code: 'SCARF', name: 'Jacquard Scarf', price: 3500, colours: ['GRN'] },
  ] },
];

/** The products a section lists, one per colour × size, without barcodes yet. */
function expandSection(section: Section): Product[] {
  return section.lines.flatMap((line) => {
    const colours = line.colours ?? [undefined];
    const sizes = line.sizes ?? section.sizes ?? [undefined];
    return colours.flatMap((colour) =>
      sizes.map((size): Product => {
        const variant = [colour && COLOURS[colour], size].filter(Boolean).join(' / ');
        return {
          sku: [section.code, line.code, colour, size].filter(Boolean).join('-'),
          name: variant ? `${line.name} – ${variant}` : line.name,
          price: line.price,
          taxClassId: line.tax ?? section.tax,
          category: section.category,
          barcodes: [],
          active: line.active ?? true,
          ...(line.drop ? { drop: line.drop } : {}),
        };
      }),
    );
  });
}

/** `length` random digits not yet in `used` (which it then joins). */
function freshDigits(rng: Rng, used: Set<string>, length: number): string {
  for (;;) {
    let digits = '';
    while (digits.length < length) digits += String(rng.int(0, 99_999)).padStart(5, '0');
    digits = digits.slice(0, length);
    if (!used.has(digits)) {
      used.add(digits);
      return digits;
    }
  }
}

/**
 * Gives every product one EAN-13 and some a UPC-A as a second code. EAN-13s use GS1
 * prefix 20, a restricted-circulation number for in-store use (member organisations
 * often give 21–29 to variable-measure codes with a weight or price inside, which a
 * till may read as such). The UPC-As stand for the stall's first labels, printed in
 * number system 4 (in-store use), which tills must still scan.
 */
function withBarcodes(
  products: Product[],
  rngFor: (p: Product) => Rng,
  upcChance: (p: Product) => number,
): Product[] {
  const eans = new Set<string>();
  const upcs = new Set<string>();
  return products.map((product) => {
    const rng = rngFor(product);
    const barcodes = [withCheckDigit(`20${freshDigits(rng, eans, 10)}`)];
    if (rng.chance(upcChance(product))) {
      barcodes.push(withCheckDigit(`4${freshDigits(rng, upcs, 10)}`));
    }
    return { ...product, barcodes };
  });
}

/** The demo staff with PINs hashed; salts come from the rng so the output is repeatable. */
async function buildStaff(rng: Rng): Promise<Staff[]> {
  const salted = demoStaffPins.map((s) => ({ ...s, salt: rng.bytes(16) }));
  return Promise.all(
    salted.map(async ({ id, name, role, pin, salt }) => ({
      id,
      name,
      role,
      pinHash: await hashPin(pin, salt),
    })),
  );
}

/** The Northside Pop-Up demo catalog: 250 active products in 8 categories, 8 drop items, 3 staff. */
export async function buildDemoCatalog(rng: Rng): Promise<Catalog> {
  const barcodeSeed = rng.uint32();
  const staffRng = createRng(rng.uint32());
  // Each product's codes come from a stream keyed by its SKU, so adding or removing a product
  // leaves every other product's barcodes (printed labels, tests that scan them) as they were.
  const products = withBarcodes(
    DEMO_SECTIONS.flatMap(expandSection),
    (p) => createRng(barcodeSeed ^ seedFromText(p.sku)),
    // Old UPC-A labels exist only on goods from before the drops, never on the café side.
    (p) => (p.drop || p.category === 'Coffee & Snacks' ? 0 : 0.06),
  );
  const staff = await buildStaff(staffRng);
  const stockSeed = rng.uint32();
  const stock = openingStock(products, (p) => createRng(stockSeed ^ seedFromText(p.sku)));
  return { store: demoStore, taxClasses: demoTaxClasses, products, staff, stock };
}

/**
 * Units on hand when the stall opens: a handful of each drop item, a few dozen of
 * regular lines, plenty of made-to-order café items. Keyed per SKU like the barcodes.
 */
function openingStock(
  products: readonly Product[],
  rngFor: (p: Product) => Rng,
): Record<string, number> {
  const stock: Record<string, number> = {};
  for (const p of products) {
    const r = rngFor(p);
    stock[p.sku] = p.drop
      ? r.int(4, 24)
      : p.category === 'Coffee & Snacks'
        ? r.int(80, 200)
        : r.int(6, 60);
  }
  return stock;
}

type BenchKind = readonly [
  code: string,
  category: string,
  tax: TaxClassId,
  lo: Minor,
  hi: Minor,
  nouns: readonly string[],
];

// biome-ignore format: a data table reads best one row per line
const BENCH_KINDS: readonly BenchKind[] = [
  ['TEE', 'Tees', 'standard', 1500, 4500, ['Tee', 'Pocket Tee', 'Boxy Tee']],
  ['LST', 'Long Sleeves', 'standard', 2500, 5000, ['Long Sleeve', 'Rugby Shirt']],
  ['HOD', 'Hoodies', 'standard', 4500, 9000, ['Hoodie', 'Zip Hoodie']],
  ['CRW', 'Sweatshirts', 'standard', 4000, 8000, ['Crewneck', 'Quarter Zip']],
  ['JKT', 'Jackets', 'standard', 6000, 18000, ['Coach Jacket', 'Fleece', 'Puffer', 'Rain Shell']],
  ['PNT', 'Trousers', 'standard', 4500, 9500, ['Cargo Pants', 'Track Pants', 'Shorts']],
  ['HAT', 'Caps', 'standard', 2000, 4000, ['Cap', 'Trucker', '5-Panel']],
  ['BNE', 'Knitwear', 'standard', 1500, 6000, ['Beanie', 'Scarf', 'Gloves']],
  ['SOK', 'Socks', 'standard', 800, 3000, ['Socks', 'Socks 3-Pack']],
  ['BAG', 'Bags', 'standard', 1000, 8000, ['Tote', 'Backpack', 'Cross-Body Bag', 'Pouch']],
  ['STK', 'Stickers', 'standard', 200, 1500, ['Sticker', 'Sticker Sheet']],
  ['PRN', 'Prints', 'standard', 1000, 6000, ['Riso Print', 'Screen Print', 'Poster']],
  ['CRD', 'Cards', 'standard', 200, 1500, ['Postcard', 'Greeting Card']],
  ['ZIN', 'Zines', 'reduced', 500, 2000, ['Zine', 'Photo Zine']],
  ['BOK', 'Books', 'reduced', 1200, 4500, ['Photo Book', 'Guide']],
  ['STN', 'Stationery', 'standard', 300, 2500, ['Notebook', 'Pen Set', 'Pencil Case']],
  ['COF', 'Coffee', 'reduced', 250, 500, ['Latte', 'Flat White', 'Cold Brew']],
  ['BEA', 'Coffee Beans', 'reduced', 1000, 3000, ['Beans 250g', 'Beans 1kg']],
  ['BAK', 'Bakery', 'reduced', 250, 700, ['Bun', 'Cookie', 'Slice']],
  ['DRK', 'Soft Drinks', 'standard', 200, 450, ['Soda', 'Sparkling Water', 'Kombucha']],
  ['SNK', 'Snacks', 'standard', 150, 600, ['Crisps', 'Chocolate Bar', 'Popcorn']],
  ['PIN', 'Pins & Patches', 'standard', 500, 1500, ['Enamel Pin', 'Patch']],
  ['KEY', 'Keyrings', 'standard', 500, 1500, ['Keyring', 'Lanyard']],
  ['JWL', 'Jewellery', 'standard', 1500, 9000, ['Ring', 'Chain', 'Earrings']],
  ['EYE', 'Eyewear', 'standard', 1500, 6000, ['Sunglasses', 'Glasses Case']],
  ['HOM', 'Homeware', 'standard', 1200, 6000, ['Mug', 'Candle', 'Cushion', 'Tea Towel']],
  ['CER', 'Ceramics', 'standard', 1500, 9000, ['Vase', 'Bowl', 'Planter']],
  ['MUS', 'Music', 'standard', 1000, 3500, ['Vinyl LP', 'Cassette', '7-inch Single']],
  ['SKT', 'Skate', 'standard', 500, 9000, ['Deck', 'Wheels', 'Wax']],
  ['PET', 'Pets', 'standard', 800, 4000, ['Dog Bandana', 'Lead', 'Treats Tin']],
  ['KID', 'Kids', 'standard', 1200, 4000, ['Kids Tee', 'Baby Grow', 'Kids Hoodie']],
  ['TEC', 'Tech', 'standard', 1000, 5000, ['Phone Case', 'Cable Wrap', 'Laptop Sleeve']],
];
// biome-ignore format: word lists
const BENCH_MOTIFS = ['Logo', 'Pigeon', 'Liffey', 'Spire', 'Harbour', 'Seagull', 'Swan', 'Docklands', 'Canal', 'Market', 'Rain', 'Bridge'];
// biome-ignore format: word lists
const BENCH_STYLES = ['Classic', 'Heavyweight', 'Washed', 'Organic', 'Vintage', 'Recycled', 'Embroidered', 'Limited', 'Everyday'];
const BENCH_COLOURS = Object.keys(COLOURS);

/** A shelf price between lo and hi that ends like a real one (…00, …50, …95, …99, …45, …49). */
function shelfPrice(rng: Rng, lo: Minor, hi: Minor): Minor {
  const base = rng.int(Math.ceil(lo / 50), Math.floor(hi / 50)) * 50;
  return base - rng.pick([0, 0, 5, 1]);
}

/** `count` products in 32 categories with unique SKUs and barcodes, for benchmarks; shaped like the demo. */
export async function buildLargeCatalog(count: number, rng: Rng): Promise<Catalog> {
  if (!Number.isSafeInteger(count) || count < 0)
    throw new RangeError('count must be a whole number ≥ 0');
  const productRng = createRng(rng.uint32());
  const staffRng = createRng(rng.uint32());
  const width = Math.max(6, String(count).length);
  const products: Product[] = [];
  for (let i = 0; i < count; i++) {
    const [code, category, tax, lo, hi, nouns] = productRng.pick(BENCH_KINDS);
    const colour = productRng.pick(BENCH_COLOURS);
    const style = productRng.pick(BENCH_STYLES);
    const motif = productRng.pick(BENCH_MOTIFS);
    const drop = productRng.chance(0.01) ? `Bench Drop ${productRng.int(10, 99)}` : undefined;
    products.push({
      // The running number alone makes the SKU unique; code and colour make it readable.
      sku: `${code}-${colour}-${String(i + 1).padStart(width, '0')}`,
      name: `${style} ${motif} ${productRng.pick(nouns)} – ${COLOURS[colour]}`,
      price: shelfPrice(productRng, lo, hi),
      taxClassId: tax,
      category,
      barcodes: [],
      active: productRng.chance(0.97),
      ...(drop ? { drop } : {}),
    });
  }
  return {
    store: { ...demoStore, storeId: 'northside-bench', name: 'Northside Pop-Up (benchmark)' },
    taxClasses: demoTaxClasses,
    products: withBarcodes(
      products,
      () => productRng,
      () => 0.02,
    ),
    staff: await buildStaff(staffRng),
    stock: openingStock(products, () => productRng),
  };
}

/** The catalog as the committed JSON file holds it: pretty, with a final newline. */
export function serializeCatalog(catalog: Catalog): string {
  return `${JSON.stringify(catalog, null, 2)}\n`;
}
