// The promo part of a receipt: the code a sale redeemed and the codes given with it, as they cross to the printer.
import { z } from 'zod';
import { minorSchema } from './money';

/** The promo part of a receipt as it crosses to the printer: the code redeemed, the codes given. */
export const receiptPromoSchema = z.object({
  redeemed: z
    .object({ code: z.string().min(1).max(200), label: z.string().max(80), discount: minorSchema })
    .optional(),
  issuedCodes: z
    .array(
      z.object({
        code: z.string().min(1).max(40),
        qr: z.string().min(1).max(400),
        headline: z.string().max(120),
        validUntil: z.string().max(40).optional(),
      }),
    )
    .max(10)
    .optional(),
});
export type ReceiptPromo = z.infer<typeof receiptPromoSchema>;

/** A code handed to the customer on the receipt. */
export interface ReceiptIssuedCode {
  /** The short code a customer can type, e.g. DROP-7K3M-Q9XT. */
  code: string;
  /** What the QR carries (the signed form); the typed code when there is none. */
  qr: string;
  /** What it gives, in the customer's words: "10% off your next visit". */
  headline: string;
  /** Last day it works, already formatted for the store. */
  validUntil?: string;
}
