// Adding or changing one printer: name, kind, language, address, paper width or label size, default.
import { useState } from 'react';
import { ulid } from 'ulid';
import {
  labelFit,
  type PrinterConfig,
  type PrinterConfigInput,
  printerConfigSchema,
} from '../../../shared/printing';
import { PrinterFinder } from './PrinterFinder';
import { savePrinter } from './print-actions';

interface Props {
  /** The printer to change, or undefined to add one. */
  printer: PrinterConfig | undefined;
  onDone: () => void;
}

const LANGUAGES = {
  receipt: [
    { value: 'escpos', label: 'ESC/POS (Epson and most receipt printers)' },
    { value: 'star', label: 'Star' },
  ],
  label: [
    { value: 'tspl', label: 'TSPL (most label printers)' },
    { value: 'zpl', label: 'ZPL (Zebra and compatibles)' },
    { value: 'escpos', label: 'ESC/POS (a receipt printer printing labels)' },
  ],
} as const;

export function PrinterForm({ printer, onDone }: Props) {
  const [name, setName] = useState(printer?.name ?? '');
  const [kind, setKind] = useState<PrinterConfig['kind']>(printer?.kind ?? 'receipt');
  const [language, setLanguage] = useState<PrinterConfig['language']>(
    printer?.language ?? 'escpos',
  );
  const [address, setAddress] = useState(printer?.address ?? 'tcp://');
  const [paper, setPaper] = useState<58 | 80>(printer?.paperWidthMm ?? 80);
  const [labelW, setLabelW] = useState(String(printer?.labelSize.widthMm ?? 50));
  const [labelH, setLabelH] = useState(String(printer?.labelSize.heightMm ?? 30));
  const [dpi, setDpi] = useState<203 | 300>(printer?.dpi ?? 203);
  const [maxW, setMaxW] = useState(printer?.maxWidthMm ? String(printer.maxWidthMm) : '');
  const [isDefault, setIsDefault] = useState(printer?.isDefault ?? true);
  const [nativeQr, setNativeQr] = useState(printer?.nativeQr ?? true);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const pickKind = (k: PrinterConfig['kind']) => {
    setKind(k);
    if (!LANGUAGES[k].some((l) => l.value === language)) setLanguage(LANGUAGES[k][0].value);
  };

  const save = async () => {
    const input: PrinterConfigInput = {
      id: printer?.id ?? ulid(),
      name,
      kind,
      language,
      address,
      paperWidthMm: paper,
      labelSize: { widthMm: Number(labelW), heightMm: Number(labelH) },
      dpi,
      ...(kind === 'label' && language !== 'escpos' && maxW.trim()
        ? { maxWidthMm: Number(maxW) }
        : {}),
      isDefault,
      nativeQr,
    };
    const checked = printerConfigSchema.safeParse(input);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const field = String(issue?.path[0] ?? '');
      const words: Record<string, string> = {
        name: 'Give the printer a name, e.g. “Front counter”.',
        address:
          'The address looks like tcp://192.168.1.50:9100, file:/dev/usb/lp0, cups:NAME, win:PRINTER NAME or dir:/folder.',
        labelSize: 'Label size is width 20–120 mm by height 10–200 mm.',
        maxWidthMm: 'The widest label is a number of mm, 20–220, or empty.',
      };
      return setError(words[field] ?? issue?.message ?? 'Check the printer details.');
    }
    // A label wider than the head would come out clipped: say so now, not at the first print.
    const fit = checked.data.kind === 'label' ? labelFit(checked.data) : { ok: true as const };
    if (!fit.ok) return setError(fit.message);
    setSaving(true);
    const result = await savePrinter(checked.data);
    setSaving(false);
    if (!result.ok) return setError(result.message);
    onDone();
  };

  return (
    <form
      className="stack printer-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label>
        Printer name
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Front counter" />
      </label>
      <fieldset className="choice">
        <legend>Prints</legend>
        {(['receipt', 'label'] as const).map((k) => (
          <button
            key={k}
            type="button"
            className={kind === k ? 'tab tab-on' : 'tab'}
            aria-pressed={kind === k}
            onClick={() => pickKind(k)}
          >
            {k === 'receipt' ? 'Receipts' : 'Labels'}
          </button>
        ))}
      </fieldset>
      <label>
        Printer language
        <select
          value={language}
          onChange={(e) => setLanguage(e.target.value as PrinterConfig['language'])}
        >
          {LANGUAGES[kind].map((l) => (
            <option key={l.value} value={l.value}>
              {l.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Address
        <input
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          placeholder="tcp://192.168.1.50:9100"
          spellCheck={false}
          autoCapitalize="off"
        />
      </label>
      <p className="muted">
        Network: tcp://IP:9100 · USB: file:/dev/usb/lp0 or COM3 · system queue: cups:NAME · Windows:
        win:PRINTER NAME · a folder for testing: dir:/path
      </p>
      <PrinterFinder
        onPick={(found) => {
          setAddress(found.address);
          if (!name.trim()) setName(found.label.slice(0, 60));
        }}
      />
      {(kind === 'receipt' || language === 'escpos') && (
        <fieldset className="choice">
          <legend>Paper width</legend>
          {([58, 80] as const).map((w) => (
            <button
              key={w}
              type="button"
              className={paper === w ? 'tab tab-on' : 'tab'}
              aria-pressed={paper === w}
              onClick={() => setPaper(w)}
            >
              {w} mm
            </button>
          ))}
        </fieldset>
      )}
      {kind === 'label' && (
        <div className="row">
          <label>
            Label width (mm)
            <input inputMode="numeric" value={labelW} onChange={(e) => setLabelW(e.target.value)} />
          </label>
          <label>
            Label height (mm)
            <input inputMode="numeric" value={labelH} onChange={(e) => setLabelH(e.target.value)} />
          </label>
          <label>
            Resolution
            <select value={dpi} onChange={(e) => setDpi(Number(e.target.value) as 203 | 300)}>
              <option value={203}>203 dpi</option>
              <option value={300}>300 dpi</option>
            </select>
          </label>
          {language !== 'escpos' && (
            <label>
              Widest label (mm)
              <input
                inputMode="numeric"
                value={maxW}
                onChange={(e) => setMaxW(e.target.value)}
                placeholder="104"
              />
            </label>
          )}
        </div>
      )}
      {kind === 'receipt' && language === 'escpos' && (
        <>
          <label className="check">
            <input
              type="checkbox"
              checked={nativeQr}
              onChange={(e) => setNativeQr(e.target.checked)}
            />
            Prints QR codes itself
          </label>
          <p className="muted">
            Untick it if QR codes come out missing or garbled: they are then sent as a picture.
          </p>
        </>
      )}
      <label className="check">
        <input
          type="checkbox"
          checked={isDefault}
          onChange={(e) => setIsDefault(e.target.checked)}
        />
        Use for all {kind === 'receipt' ? 'receipts' : 'labels'} (default printer)
      </label>
      <p className="error" role="alert">
        {error ?? ''}
      </p>
      <div className="actions">
        <button type="button" className="btn btn-big" onClick={onDone} disabled={saving}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary btn-big" disabled={saving}>
          {saving ? 'Saving…' : 'Save printer'}
        </button>
      </div>
    </form>
  );
}
