// Owns finding printers on this computer for the printer form: USB/parallel device files, serial ports, CUPS queues and Windows printers, each with a ready address.
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import {
  type PrinterCandidate,
  type PrinterDiscovery,
  printerAddressSchema,
} from '../../shared/printing';

export interface DiscoverOptions {
  /** Where device files live (tests point it at a folder of their own). */
  devDir?: string;
  platform?: NodeJS.Platform;
  /** The lpstat to run for CUPS queues. */
  lpstat?: string;
  /** The PowerShell to run for Windows printers. */
  powershell?: string;
  /** List serial ports through serialport (false skips them). */
  serialPorts?: boolean;
  /** How long any one place may take to answer. */
  timeoutMs?: number;
}

type Found = { candidates: PrinterCandidate[]; problem?: string };

type CommandResult =
  | { ok: true; stdout: string }
  | { ok: false; missing: boolean; message: string };

function runCommand(command: string, args: string[], timeoutMs: number): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { timeout: timeoutMs, windowsHide: true, maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) return resolve({ ok: true, stdout });
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        const why = String(stderr).trim().split(/\r?\n/)[0] || error.message;
        resolve({ ok: false, missing, message: error.killed ? 'no answer in time' : why });
      },
    );
  });
}

/** Non-empty lines, trimmed. */
export function outputLines(stdout: string): string[] {
  return stdout
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/** A candidate only when its address is one the printer form accepts. */
function candidate(address: string, label: string, via: PrinterCandidate['via']) {
  return printerAddressSchema.safeParse(address).success ? [{ address, label, via }] : [];
}

/** /dev/usb/lp0… (USB printer class) and /dev/lp0… (parallel ports and some USB adapters). */
async function deviceFiles(devDir: string): Promise<Found> {
  const found: PrinterCandidate[] = [];
  const problems: string[] = [];
  for (const [folder, kind] of [
    [path.join(devDir, 'usb'), 'USB printer'],
    [devDir, 'Printer port'],
  ] as const) {
    try {
      const names = (await readdir(folder)).filter((n) => /^lp\d+$/.test(n));
      names.sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)));
      for (const name of names) {
        found.push(...candidate(`file:${path.join(folder, name)}`, `${kind} ${name}`, 'usb'));
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        problems.push(`${folder}: ${(error as Error).message}`);
      }
    }
  }
  return problems.length
    ? { candidates: found, problem: `USB printers: ${problems.join('; ')}` }
    : { candidates: found };
}

/**
 * Serial device files a printer's USB-serial adapter shows up as (/dev/ttyUSB0, /dev/ttyACM0).
 * serialport lists ports on Linux through udevadm, which a minimal system may not have.
 */
export async function serialDeviceFiles(devDir: string): Promise<PrinterCandidate[]> {
  const names = (await readdir(devDir).catch(() => [] as string[]))
    .filter((n) => /^tty(USB|ACM)\d+$/.test(n))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return names.flatMap((n) =>
    candidate(`serial:${path.join(devDir, n)}`, `Serial port ${path.join(devDir, n)}`, 'serial'),
  );
}

async function serialPorts(devDir: string): Promise<Found> {
  try {
    const { SerialPort } = await import('serialport');
    const ports = await SerialPort.list();
    // Ports with a USB adapter behind them first: a bare /dev/ttyS0 is rarely a printer.
    const ranked = [...ports].sort((a, b) => Number(!!b.vendorId) - Number(!!a.vendorId));
    return {
      candidates: ranked.flatMap((p) =>
        candidate(
          `serial:${p.path}`,
          `Serial port ${p.path}${p.manufacturer ? ` (${p.manufacturer})` : ''}`,
          'serial',
        ),
      ),
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { candidates: await serialDeviceFiles(devDir) };
    }
    return { candidates: [], problem: `Serial ports: ${(error as Error).message}` };
  }
}

/** `lpstat -e` names every CUPS destination, one a line; no lpstat means no CUPS here. */
async function cupsQueues(lpstat: string, timeoutMs: number): Promise<Found> {
  const result = await runCommand(lpstat, ['-e'], timeoutMs);
  if (!result.ok) {
    if (result.missing || /no destinations/i.test(result.message)) return { candidates: [] };
    return { candidates: [], problem: `Print queues (lpstat): ${result.message}` };
  }
  return {
    candidates: outputLines(result.stdout).flatMap((queue) =>
      candidate(`cups:${queue}`, `Print queue ${queue}`, 'cups'),
    ),
  };
}

async function windowsPrinters(powershell: string, timeoutMs: number): Promise<Found> {
  const result = await runCommand(
    powershell,
    ['-NoProfile', '-NonInteractive', '-Command', 'Get-Printer | ForEach-Object { $_.Name }'],
    timeoutMs,
  );
  if (!result.ok) return { candidates: [], problem: `Windows printers: ${result.message}` };
  return {
    candidates: outputLines(result.stdout).flatMap((name) =>
      candidate(`win:${name}`, `Windows printer ${name}`, 'windows'),
    ),
  };
}

/** Looks everywhere at once; a place that cannot be searched is named in `problems`, never thrown. */
export async function discoverPrinters(options: DiscoverOptions = {}): Promise<PrinterDiscovery> {
  const platform = options.platform ?? process.platform;
  const timeoutMs = options.timeoutMs ?? 4000;
  const windows = platform === 'win32';
  const searches: Promise<Found>[] = [];
  if (!windows) {
    searches.push(deviceFiles(options.devDir ?? '/dev'));
    searches.push(cupsQueues(options.lpstat ?? 'lpstat', timeoutMs));
  }
  if (options.serialPorts !== false) searches.push(serialPorts(options.devDir ?? '/dev'));
  if (windows) searches.push(windowsPrinters(options.powershell ?? 'powershell.exe', timeoutMs));
  const found = await Promise.all(searches);
  const seen = new Set<string>();
  return {
    candidates: found
      .flatMap((f) => f.candidates)
      .filter((c) => !seen.has(c.address) && Boolean(seen.add(c.address))),
    problems: found.flatMap((f) => (f.problem ? [f.problem] : [])),
  };
}
