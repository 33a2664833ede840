// Shift: open with a float, X report at any time (refunds and returns included), close by counting the drawer, and past Z reports.
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { isBlindCount } from '../../../shared/catalog';
import { parseMoney } from '../../../shared/money';
import { countedTotal } from '../../../shared/shift';
import { useCurrentShift, useStoreSettings } from '../../db/hooks';
import { posDb } from '../../db/instance';
import { closeShift, openShift, reportFor } from '../../db/shift-repo';
import { useSession } from '../../state/session';
import { type Dates, useDates } from '../../ui/dates';
import { useMoney } from '../../ui/money';
import { PrintShiftReport } from './PrintShiftReport';
import { ReportView } from './ReportView';

function OpenShift() {
  const staff = useSession((s) => s.staff)!;
  const { go, notify } = useSession.getState();
  const store = useStoreSettings();
  const [text, setText] = useState('100');
  const [error, setError] = useState<string | null>(null);
  if (!store) return null;
  return (
    <form
      className="stack narrow"
      onSubmit={async (e) => {
        e.preventDefault();
        const float = parseMoney(text, store.currency);
        if (float === null) return setError('Enter the cash in the drawer, e.g. 100 or 85.50.');
        const result = await openShift(posDb, staff.id, float);
        if (!result.ok) return setError(result.message);
        notify('Shift open. Happy selling!');
        go('sell');
      }}
    >
      <h2>Open a shift</h2>
      <label>
        Opening float (cash in the drawer)
        <input
          inputMode="decimal"
          value={text}
          onChange={(e) => setText(e.target.value)}
          autoFocus
        />
      </label>
      <p className="error" role="alert">
        {error ?? ''}
      </p>
      <button type="submit" className="btn btn-primary btn-big">
        Open shift
      </button>
    </form>
  );
}

function CloseShift({
  shiftId,
  expected,
  onDone,
}: {
  shiftId: string;
  expected: number;
  onDone: (id: string) => void;
}) {
  const staff = useSession((s) => s.staff)!;
  const store = useStoreSettings();
  const money = useMoney();
  const [counts, setCounts] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  if (!store) return null;
  const parsed: Record<string, number> = {};
  let bad = false;
  for (const d of store.denominations) {
    const t = (counts[d] ?? '').trim();
    if (t === '') continue;
    if (!/^\d{1,5}$/.test(t)) bad = true;
    else parsed[d] = Number(t);
  }
  const counted = countedTotal(parsed);
  const diff = counted - expected;
  const blind = isBlindCount(store);
  return (
    <form
      className="stack"
      onSubmit={async (e) => {
        e.preventDefault();
        if (bad) return setError('Counts are whole numbers of notes or coins.');
        const result = await closeShift(posDb, shiftId, staff.id, parsed);
        if (!result.ok) return setError(result.message);
        onDone(result.shift.id);
      }}
    >
      <h2>Count the drawer</h2>
      <div className="denominations">
        {store.denominations.map((d) => (
          <label key={d}>
            {money(d)}
            <input
              inputMode="numeric"
              aria-label={`Count of ${money(d)}`}
              value={counts[d] ?? ''}
              onChange={(e) => setCounts({ ...counts, [d]: e.target.value })}
            />
          </label>
        ))}
      </div>
      {blind ? (
        <p>
          Counted <strong data-testid="counted">{money(counted)}</strong>
          <br />
          <span className="muted" data-testid="blind-count-note">
            Blind count: what the drawer should hold, and any over or short, show on the Z report
            once the count is confirmed.
          </span>
        </p>
      ) : (
        <p>
          Counted <strong data-testid="counted">{money(counted)}</strong> · expected{' '}
          {money(expected)} ·{' '}
          <strong data-testid="over-short">
            {diff === 0 ? 'exact' : diff > 0 ? `over ${money(diff)}` : `short ${money(-diff)}`}
          </strong>
        </p>
      )}
      <p className="error" role="alert">
        {error ?? ''}
      </p>
      <button type="submit" className="btn btn-primary btn-big">
        Close shift and make Z report
      </button>
    </form>
  );
}

const xTitle = (openedAt: string, dates: Dates) => `X report · shift since ${dates.time(openedAt)}`;
const zTitle = (openedAt: string, dates: Dates) => `Z report · ${dates.dateTime(openedAt)}`;

export function ShiftScreen() {
  const shift = useCurrentShift();
  const dates = useDates();
  const [closing, setClosing] = useState(false);
  const [shownZ, setShownZ] = useState<string | null>(null);
  const xReport = useLiveQuery(async () => (shift ? reportFor(posDb, shift) : null), [shift]);
  const closed = useLiveQuery(
    () => posDb.shifts.where('open').equals(0).reverse().sortBy('openedAt'),
    [],
  );
  const z = closed?.find((s) => s.id === shownZ);
  // A blind count means the counter never sees what the drawer should hold: not on the X report either.
  const store = useStoreSettings();
  const role = useSession((s) => s.staff?.role);
  const blind = (store ? isBlindCount(store) : true) && role !== 'manager';

  return (
    <div className="shift">
      <section className="shift-main">
        {shift === null && !z && <OpenShift />}
        {shift && xReport && !closing && (
          <>
            <ReportView title={xTitle(shift.openedAt, dates)} report={xReport} blind={blind} />
            <div className="row">
              <PrintShiftReport
                title={xTitle(shift.openedAt, dates)}
                report={xReport}
                blind={blind}
              />
              <button type="button" className="btn btn-primary" onClick={() => setClosing(true)}>
                Close shift…
              </button>
            </div>
          </>
        )}
        {shift && xReport && closing && (
          <CloseShift
            shiftId={shift.id}
            expected={xReport.expectedCash}
            onDone={(id) => {
              setClosing(false);
              setShownZ(id);
            }}
          />
        )}
        {z?.zReport && (
          <>
            <ReportView title={zTitle(z.openedAt, dates)} report={z.zReport} />
            <div className="row">
              <PrintShiftReport title={zTitle(z.openedAt, dates)} report={z.zReport} />
              <button type="button" className="btn" onClick={() => setShownZ(null)}>
                Done
              </button>
            </div>
          </>
        )}
      </section>
      <aside className="shift-history">
        <h3>Past Z reports</h3>
        <ol className="list">
          {closed?.map((s) => (
            <li key={s.id}>
              <button type="button" className="btn list-btn" onClick={() => setShownZ(s.id)}>
                {dates.dateTime(s.openedAt)} – {s.closedAt ? dates.time(s.closedAt) : ''}
              </button>
            </li>
          ))}
          {closed?.length === 0 && <li className="muted">No closed shifts yet.</li>}
        </ol>
      </aside>
    </div>
  );
}
