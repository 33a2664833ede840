// Choosing another printer of the same kind, with big buttons (for Retry on another printer).
import type { PrinterConfig } from '../../../shared/printing';
import { usePrintQueue } from './print-queue';

interface Props {
  kind: PrinterConfig['kind'];
  /** The printer that failed, listed last and marked. */
  current?: string;
  onPick: (printer: PrinterConfig) => void;
}

export function PrinterPicker({ kind, current, onPick }: Props) {
  const printers = usePrintQueue((s) => s.printers);
  const ofKind = (printers ?? []).filter((p) => p.kind === kind);
  if (ofKind.length === 0) {
    return <p className="muted">No {kind} printer is set up. A manager adds one in Settings.</p>;
  }
  return (
    <fieldset className="printer-picker">
      <legend>Print on</legend>
      {ofKind.map((p) => (
        <button key={p.id} type="button" className="btn btn-big" onClick={() => onPick(p)}>
          {p.name}
          {p.id === current && <span className="muted"> (this one again)</span>}
        </button>
      ))}
    </fieldset>
  );
}
