// Scanned or typed text that is a promo code (or its QR) goes to the cart's promo code instead of the product search.
import { parseCode, QR_PREFIX } from '../../../shared/promo-code';
import { useCart } from '../../state/cart';

/** Whether text has the shape of a promo code or promo QR (a typo still counts: the cart then says so). */
export function looksLikePromoCode(text: string): boolean {
  const t = text.trim();
  if (t.toUpperCase().startsWith(`${QR_PREFIX}.`)) return true;
  return parseCode(t).ok || (/^[A-Za-z]{2,6}-/.test(t) && parseCode(t).code === 'typo');
}

/** For the scanner: put a promo code in the cart and say so (true), or leave the text to the product lookup (false). */
export function takePromoScan(text: string): boolean {
  if (!looksLikePromoCode(text)) return false;
  useCart.getState().setPromoCode(text.trim());
  return true;
}
