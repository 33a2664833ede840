import { describe, expect, it } from 'vitest';
import { dropToForm, formToDrop, newDropForm, timeNotices } from './drop-form';

const NOW = new Date('2026-12-05T17:20:00Z');

describe('the drop editor form', () => {
  it('turns what a manager typed on the Dublin clock into a valid drop, and back', () => {
    const form = {
      ...newDropForm(NOW, 'Europe/Dublin'),
      name: 'Night Market Drop',
      startsAt: '2026-12-05T19:00',
      endsAt: '2026-12-05T21:30',
      perCustomerLimit: '',
      items: [
        {
          sku: 'BAG-TOTE-HP',
          quantity: '40',
          ladder: [
            {
              label: 'Early bird',
              price: '25',
              untilUnits: '3',
              untilMinutes: '',
              fastFulfilment: true,
            },
            {
              label: 'Full price',
              price: '30.00',
              untilUnits: '',
              untilMinutes: '',
              fastFulfilment: false,
            },
          ],
        },
      ],
    };
    const result = formToDrop(form, 'Europe/Dublin', 'EUR');
    expect(result).toMatchObject({
      ok: true,
      drop: {
        id: 'night-market-drop-2026-12-05',
        startsAt: '2026-12-05T19:00:00.000Z',
        endsAt: '2026-12-05T21:30:00.000Z',
        perCustomerLimit: null,
        access: [{ tier: 'members', minutesBefore: 30 }],
        items: [{ quantity: 40, ladder: [{ price: 2500, untilUnits: 3 }, { price: 3000 }] }],
      },
    });
    if (!result.ok) return;
    expect(dropToForm(result.drop, 'Europe/Dublin')).toMatchObject({
      startsAt: '2026-12-05T19:00',
      items: [
        {
          ladder: [
            { price: '25.00', untilUnits: '3' },
            { price: '30.00', untilUnits: '' },
          ],
        },
      ],
    });
  });

  it('says what is wrong in words instead of sending a bad drop', () => {
    const base = { ...newDropForm(NOW, 'Europe/Dublin'), name: 'Drop' };
    expect(formToDrop({ ...base, endsAt: base.startsAt }, 'Europe/Dublin', 'EUR')).toEqual({
      ok: false,
      message: 'The drop must end after it starts.',
    });
    const noSku = formToDrop(base, 'Europe/Dublin', 'EUR');
    expect(noSku.ok).toBe(false);
    expect(!noSku.ok && noSku.message).toMatch(/^Item 1 sku/);
    const badTier = formToDrop(
      {
        ...base,
        items: [{ sku: 'X', quantity: '1', ladder: [] }],
        access: [{ tier: 'VIP!', minutesBefore: '30' }],
      },
      'Europe/Dublin',
      'EUR',
    );
    expect(!badTier.ok && badTier.message).toMatch(
      /^Early access row 1 tier: A tier is a short lower-case name/,
    );
  });

  it('refuses a start the clocks skip and notes which of a repeated hour is meant', () => {
    const zone = 'America/New_York';
    const base = {
      ...newDropForm(NOW, zone),
      name: 'Spring Drop',
      items: [{ sku: 'BAG-TOTE-HP', quantity: '4', ladder: [] }],
    };
    const gap = { ...base, startsAt: '2026-03-08T02:30', endsAt: '2026-03-08T06:00' };
    expect(timeNotices(gap, zone).problems).toEqual([
      'Start: 02:30 on 8 March 2026 does not exist in America/New_York: clocks go from 02:00 to 03:00.',
    ]);
    expect(formToDrop(gap, zone, 'USD')).toEqual({
      ok: false,
      message:
        'Start: 02:30 on 8 March 2026 does not exist in America/New_York: clocks go from 02:00 to 03:00.',
    });

    const twice = { ...base, startsAt: '2026-11-01T01:30', endsAt: '2026-11-01T04:00' };
    const result = formToDrop(twice, zone, 'USD');
    expect(result).toMatchObject({
      ok: true,
      drop: { startsAt: '2026-11-01T05:30:00.000Z', endsAt: '2026-11-01T09:00:00.000Z' },
      // The ledger gets the times as typed and applies the same rule.
      put: { startsAt: '2026-11-01T01:30', endsAt: '2026-11-01T04:00', restockAt: null },
    });
    expect(result.ok && result.notes).toEqual([
      'Start: 01:30 on 1 November 2026 happens twice in America/New_York (clocks go back from 02:00 to 01:00): this is the first one, at UTC−04:00 (05:30 UTC).',
    ]);
  });
});
