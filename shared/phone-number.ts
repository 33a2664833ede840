// Phone numbers to E.164 with the store's country: "+353 85 555 0909", "085 555 0909" (in Ireland) and "00353855550909" are one number.
//
// Written here rather than taken from libphonenumber-js: a member's number only has to come out
// the same however it is typed, not be validated or formatted, and that needs the calling code,
// trunk prefix and international prefix of the countries stalls trade in (a table of lines),
// where libphonenumber-js ships 80–150 KB of metadata to every till.

interface Dialling {
  /** Country calling code. */
  cc: string;
  /** Dropped from a national number before the calling code goes on ("0" in "085 555 0909"). */
  trunk: string;
  /** Dialled before a calling code from inside the country ("00", "011" in North America). */
  intl: string;
}

const EU = (cc: string, trunk = '0'): Dialling => ({ cc, trunk, intl: '00' });

/** By ISO 3166 region. Italy, Spain, Portugal, Denmark, Norway, Poland and others keep their leading digits (no trunk prefix). */
const COUNTRIES: Readonly<Record<string, Dialling>> = {
  IE: EU('353'),
  GB: EU('44'),
  DE: EU('49'),
  FR: EU('33'),
  NL: EU('31'),
  BE: EU('32'),
  AT: EU('43'),
  CH: EU('41'),
  SE: EU('46'),
  FI: { cc: '358', trunk: '0', intl: '00' },
  IT: EU('39', ''),
  ES: EU('34', ''),
  PT: EU('351', ''),
  DK: EU('45', ''),
  NO: EU('47', ''),
  PL: EU('48', ''),
  CZ: EU('420', ''),
  GR: EU('30', ''),
  LU: EU('352', ''),
  US: { cc: '1', trunk: '1', intl: '011' },
  CA: { cc: '1', trunk: '1', intl: '011' },
  AU: { cc: '61', trunk: '0', intl: '0011' },
  NZ: { cc: '64', trunk: '0', intl: '00' },
};

/** The region of a BCP 47 locale ("en-IE" → "IE"), or null when it names none. */
export function regionOfLocale(locale: string): string | null {
  try {
    const parsed = new Intl.Locale(locale);
    return parsed.region ?? parsed.maximize().region ?? null;
  } catch {
    return null;
  }
}

/**
 * The number in E.164 ("+353855550909"), or null when it cannot be told: a national number in a
 * country the table does not know, or too few or too many digits to be a phone number.
 */
export function toE164(typed: string, region: string | null): string | null {
  // "+44 (0)20 …": the "(0)" is the trunk prefix written for callers inside the country.
  const text = typed.trim().replace(/^(\+\d{1,3})\s*\(0\)/, '$1');
  const digits = text.replace(/[^0-9]/g, '');
  const country = region ? COUNTRIES[region.toUpperCase()] : undefined;
  let international: string | null = null;
  if (text.startsWith('+')) international = digits;
  else if (country && digits.startsWith(country.intl))
    international = digits.slice(country.intl.length);
  else if (!country && digits.startsWith('00')) international = digits.slice(2);
  else if (country) {
    const national =
      country.trunk && digits.startsWith(country.trunk)
        ? digits.slice(country.trunk.length)
        : digits;
    international = country.cc + national;
  }
  if (international === null || international.startsWith('0')) return null;
  // E.164 allows 15 digits; nothing shorter than 7 is a subscriber's number.
  return international.length >= 7 && international.length <= 15 ? `+${international}` : null;
}
