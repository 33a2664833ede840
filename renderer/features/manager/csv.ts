// CSV files of report tables (RFC 4180 quoting) and saving them as a download.
export type Cell = string | number | null;

function cell(value: Cell): string {
  if (value === null) return '';
  const text = String(value);
  // Quote what would break a row, and what a spreadsheet would run as a formula.
  const formula = /^[=+@]/.test(text) || /^-(?![\d.]+$)/.test(text);
  const safe = formula && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== text ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return `${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

export function downloadCsv(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
