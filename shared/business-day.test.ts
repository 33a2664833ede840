// The business day of an instant is the stall's local date, the same whether it is worked out afresh or remembered from an earlier instant in the same minute.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { businessDate } from './business-day';

const zones = [
  'Europe/Dublin',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/St_Johns',
  'Pacific/Chatham',
  'UTC',
];

/** The plain definition: format the instant in the zone. */
const plain = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(iso));

it('gives the local date on both sides of midnight in zones with odd offsets', () => {
  expect(businessDate('2026-11-25T23:30:00.000Z', 'Europe/Dublin')).toBe('2026-11-25');
  expect(businessDate('2026-11-25T18:29:59.999Z', 'Asia/Kolkata')).toBe('2026-11-25');
  expect(businessDate('2026-11-25T18:30:00.000Z', 'Asia/Kolkata')).toBe('2026-11-26');
  // Kathmandu is 5:45 ahead: 18:14 UTC is 23:59 there, 18:15 is the next day.
  expect(businessDate('2026-11-25T18:14:59.000Z', 'Asia/Kathmandu')).toBe('2026-11-25');
  expect(businessDate('2026-11-25T18:15:00.000Z', 'Asia/Kathmandu')).toBe('2026-11-26');
});

it('is the plain definition for any instant, remembered or not', () => {
  const instant = fc
    .date({
      min: new Date('1970-01-01T00:00:00Z'),
      max: new Date('2099-12-31T23:59:59Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString());
  fc.assert(
    fc.property(
      fc.array(fc.tuple(instant, fc.constantFrom(...zones)), { maxLength: 40 }),
      (cases) => {
        // Twice each, the second time at another second of the same minute: that answer may
        // come from what the first remembered.
        const again = cases.map(([iso, zone]): [string, string] => [
          `${iso.slice(0, 17)}59.999Z`,
          zone,
        ]);
        for (const [iso, zone] of [...cases, ...again])
          expect(businessDate(iso, zone)).toBe(plain(iso, zone));
      },
    ),
    { numRuns: 300 },
  );
});

it('takes instants written without milliseconds or with an offset', () => {
  expect(businessDate('2026-11-25T23:30:00Z', 'Europe/Dublin')).toBe('2026-11-25');
  expect(businessDate('2026-11-26T00:30:00+01:00', 'UTC')).toBe('2026-11-25');
});
