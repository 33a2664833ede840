// The drop editor's form: text fields a manager types, to and from a Drop (validated by dropSchema before it is sent).
import { type DropPut, wallClockToInstant } from '../../../shared/drop-time';
import { type Drop, dropSchema } from '../../../shared/drops';
import { parseMoney } from '../../../shared/money';
import { toWallClock } from './wall-clock';

export interface StepForm {
  label: string;
  price: string;
  untilUnits: string;
  untilMinutes: string;
  fastFulfilment: boolean;
}
export interface ItemForm {
  sku: string;
  quantity: string;
  ladder: StepForm[];
}
export interface DropForm {
  id: string;
  name: string;
  startsAt: string;
  endsAt: string;
  access: { tier: string; minutesBefore: string }[];
  perCustomerLimit: string;
  restockAt: string;
  allotments: Drop['allotments'];
  status: Drop['status'];
  items: ItemForm[];
}

const minorText = (minor: number) => (minor / 100).toFixed(2);

export function emptyStep(): StepForm {
  return {
    label: 'Full price',
    price: '',
    untilUnits: '',
    untilMinutes: '',
    fastFulfilment: false,
  };
}

/** A new drop starting at the next whole hour, for two hours, members 30 minutes early. */
export function newDropForm(now: Date, timeZone: string): DropForm {
  const start = new Date(Math.ceil(now.getTime() / 3_600_000) * 3_600_000);
  return {
    id: '',
    name: '',
    startsAt: toWallClock(start.toISOString(), timeZone),
    endsAt: toWallClock(new Date(start.getTime() + 2 * 3_600_000).toISOString(), timeZone),
    access: [{ tier: 'members', minutesBefore: '30' }],
    perCustomerLimit: '1',
    restockAt: '',
    allotments: 'auto',
    status: 'scheduled',
    items: [{ sku: '', quantity: '10', ladder: [] }],
  };
}

export function dropToForm(drop: Drop, timeZone: string): DropForm {
  return {
    id: drop.id,
    name: drop.name,
    startsAt: toWallClock(drop.startsAt, timeZone),
    endsAt: toWallClock(drop.endsAt, timeZone),
    access: drop.access.map((a) => ({ tier: a.tier, minutesBefore: String(a.minutesBefore) })),
    perCustomerLimit: drop.perCustomerLimit === null ? '' : String(drop.perCustomerLimit),
    restockAt: drop.restockAt ? toWallClock(drop.restockAt, timeZone) : '',
    allotments: drop.allotments,
    status: drop.status,
    items: drop.items.map((i) => ({
      sku: i.sku,
      quantity: String(i.quantity),
      ladder: i.ladder.map((s) => ({
        label: s.label,
        price: minorText(s.price),
        untilUnits: s.untilUnits === undefined ? '' : String(s.untilUnits),
        untilMinutes: s.untilMinutes === undefined ? '' : String(s.untilMinutes),
        fastFulfilment: s.fastFulfilment,
      })),
    })),
  };
}

/** "my-drop-2026-12-05" from the name and start: a stable id a manager need not invent. */
export function suggestId(name: string, startsAt: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `${slug || 'drop'}-${startsAt.slice(0, 10)}`;
}

const optionalInt = (text: string) => (text.trim() === '' ? undefined : Number(text));

export type FormResult =
  | { ok: true; drop: Drop; put: DropPut; notes: string[] }
  | { ok: false; message: string };

/** What the editor shows under the times as the manager types: times the clocks skip, and which of a repeated time is meant. */
export interface TimeNotices {
  problems: string[];
  notes: string[];
}

const TIME_FIELDS = [
  ['startsAt', 'Start'],
  ['endsAt', 'End'],
  ['restockAt', 'Restock'],
] as const;

/** Daylight-saving warnings for the form's times on the store's clock (empty fields say nothing). */
export function timeNotices(form: DropForm, timeZone: string): TimeNotices {
  const out: TimeNotices = { problems: [], notes: [] };
  for (const [field, label] of TIME_FIELDS) {
    if (form[field].trim() === '') continue;
    const r = wallClockToInstant(form[field], timeZone);
    if (!r.ok && r.code === 'no-such-time') out.problems.push(`${label}: ${r.message}`);
    if (r.ok && r.note) out.notes.push(`${label}: ${r.note}`);
  }
  return out;
}

/**
 * The form as a Drop (instants, to check it here) and as the body the ledger saves (times on the
 * store's wall clock, which the ledger converts with the same rules), or the first problem in
 * words a manager can act on.
 */
export function formToDrop(form: DropForm, timeZone: string, currency: string): FormResult {
  const times = timeNotices(form, timeZone);
  if (times.problems[0]) return { ok: false, message: times.problems[0] };
  const instant = (local: string) => {
    const r = wallClockToInstant(local, timeZone);
    return r.ok ? r.instant : null;
  };
  const startsAt = instant(form.startsAt);
  const endsAt = instant(form.endsAt);
  if (!startsAt || !endsAt) return { ok: false, message: 'Enter the start and end to the minute.' };
  if (endsAt <= startsAt) return { ok: false, message: 'The drop must end after it starts.' };
  const restockAt = form.restockAt ? instant(form.restockAt) : null;
  if (form.restockAt && !restockAt)
    return { ok: false, message: 'The restock date is not a date and time.' };
  const items = [];
  for (const item of form.items) {
    const ladder = [];
    for (const step of item.ladder) {
      const price = parseMoney(step.price, currency);
      if (price === null) {
        return {
          ok: false,
          message: `The price of “${step.label}” for ${item.sku || 'an item'} is not an amount.`,
        };
      }
      ladder.push({
        label: step.label,
        price,
        untilUnits: optionalInt(step.untilUnits),
        untilMinutes: optionalInt(step.untilMinutes),
        fastFulfilment: step.fastFulfilment,
      });
    }
    items.push({ sku: item.sku.trim(), quantity: Number(item.quantity), ladder });
  }
  const skus = items.map((i) => i.sku);
  if (new Set(skus).size !== skus.length)
    return { ok: false, message: 'Each SKU may appear once in a drop.' };
  const candidate = {
    id: form.id.trim() || suggestId(form.name, form.startsAt),
    name: form.name,
    startsAt,
    endsAt,
    access: form.access.map((a) => ({
      tier: a.tier.trim(),
      minutesBefore: Number(a.minutesBefore),
    })),
    perCustomerLimit: form.perCustomerLimit.trim() === '' ? null : Number(form.perCustomerLimit),
    restockAt,
    allotments: form.allotments,
    status: form.status,
    items,
  };
  const parsed = dropSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, message: `${fieldName(issue.path)}: ${issue.message}` };
  }
  const put: DropPut = {
    ...parsed.data,
    startsAt: form.startsAt,
    endsAt: form.endsAt,
    restockAt: form.restockAt ? form.restockAt : null,
  };
  return { ok: true, drop: parsed.data, put, notes: times.notes };
}

function fieldName(path: readonly PropertyKey[]): string {
  const [head, i, sub, j, leaf] = path;
  if (head === 'items' && typeof i === 'number') {
    if (sub === 'ladder' && typeof j === 'number')
      return `Item ${i + 1}, step ${j + 1} ${String(leaf ?? '')}`.trim();
    return `Item ${i + 1} ${String(sub ?? '')}`.trim();
  }
  if (head === 'access' && typeof i === 'number')
    return `Early access row ${i + 1} ${String(sub ?? '')}`.trim();
  const names: Record<string, string> = {
    id: 'Drop id',
    name: 'Name',
    perCustomerLimit: 'Limit per customer',
    items: 'Items',
  };
  return names[String(head)] ?? String(head);
}
