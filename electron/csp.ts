// Owns the till window's Content-Security-Policy: connect-src is the till itself plus the one ledger it is enrolled with.
import { z } from 'zod';

/** A ledger address as the till keeps it: http(s), an origin only (no path, no user:password). */
export const ledgerOriginSchema = z
  .string()
  .max(2048)
  .transform((text, ctx) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      url = new URL('invalid:');
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
      ctx.addIssue({
        code: 'custom',
        message: `"${text}" is not a ledger address (http://HOST:PORT or https://HOST)`,
      });
      return z.NEVER;
    }
    return url.origin;
  });

/**
 * The policy for every response the till window loads. Not enrolled (set-up screen, demo data):
 * the manager may type any ledger address, so http: and https: stay open until enrolment, when
 * there is nothing to take yet. Enrolled: only the till's own files and that ledger.
 */
export function contentSecurityPolicy(ledgerOrigin: string | null): string {
  const connect = ledgerOrigin ? `'self' ${ledgerOrigin}` : "'self' http: https:";
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}
