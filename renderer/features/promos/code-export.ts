// Issued codes leaving the till: a CSV file to hand a creator, and labels (Code 128 of the code) for the label printer.
import { formatMoney } from '../../../shared/money';
import type { Campaign, Offer } from '../../../shared/promo';
import type { IssuedCodeRow, ProductRow } from '../../db/db';

const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** One row per code: code, QR text, campaign, issued at. */
export function codesCsv(campaign: Campaign, rows: readonly IssuedCodeRow[]): string {
  const lines = [['code', 'qr', 'campaign', 'campaign_name', 'issued_at']];
  for (const r of rows) lines.push([r.code, r.qr ?? '', campaign.id, campaign.name, r.issuedAt]);
  return `${lines.map((l) => l.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** Offer the CSV as a download (browser and Electron alike). */
export function downloadCsv(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The offer in a few words for the label's big line, where a product label has its price. */
export function offerBadge(offer: Offer, currency: string, locale?: string): string {
  switch (offer.kind) {
    case 'percent':
      return `${offer.bp / 100}% OFF`;
    case 'amount':
      return `${formatMoney(offer.amount, currency, locale)} OFF`;
    case 'fixed-price':
      return formatMoney(offer.price, currency, locale);
    case 'buy-x-get-y':
      return `BUY ${offer.buy} GET ${offer.get}`;
  }
}

/**
 * A code as the label printer's "product": the code is the SKU (printed as Code 128 and in
 * text), the offer is the name and the big line, the campaign the drop line.
 */
export function codeLabel(
  code: string,
  headline: string,
  campaign: Campaign,
  store: { currency: string; locale?: string },
): ProductRow & { priceText: string } {
  return {
    sku: code,
    name: headline.slice(0, 120),
    price: 0,
    priceText: offerBadge(campaign.offer, store.currency, store.locale).replace(
      /[\u00a0\u202f]/g,
      ' ',
    ),
    taxClassId: 'none',
    category: 'promo',
    barcodes: [],
    active: true,
    drop: campaign.name.slice(0, 80),
    words: [],
  };
}
