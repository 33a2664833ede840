// Issued codes leaving the till: a CSV file to hand a creator, and labels (Code 128 of the code) for the label printer.
import type { Campaign } from '../../../shared/promo';
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

/**
 * A code as the label printer's "product": the code is the SKU (printed as Code 128 and in
 * text), the offer is the name, the campaign the drop line. Price 0: a coupon costs nothing.
 */
export function codeLabel(code: string, headline: string, campaign: Campaign): ProductRow {
  return {
    sku: code,
    name: headline.slice(0, 120),
    price: 0,
    taxClassId: 'none',
    category: 'promo',
    barcodes: [],
    active: true,
    drop: campaign.name.slice(0, 80),
    words: [],
  };
}
