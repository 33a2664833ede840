// Receipt numbers: a device prefix and a gap-free counter, "T1-000123".
export const RECEIPT_DIGITS = 6;

export function formatReceiptNumber(devicePrefix: string, n: number): string {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError('receipt counter starts at 1');
  if (!/^[A-Z][A-Z0-9]{0,7}$/.test(devicePrefix)) {
    throw new RangeError('device prefix is a capital letter then up to 7 capitals or digits');
  }
  return `${devicePrefix}-${String(n).padStart(RECEIPT_DIGITS, '0')}`;
}

export function parseReceiptNumber(text: string): { devicePrefix: string; n: number } | null {
  const m = /^([A-Z][A-Z0-9]{0,7})-(\d{1,12})$/.exec(text.trim().toUpperCase());
  if (!m) return null;
  const n = Number(m[2]);
  return n >= 1 ? { devicePrefix: m[1]!, n } : null;
}
