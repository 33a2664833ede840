// Owns printing raw bytes through the Windows print spooler (win:PRINTER NAME): winspool called from PowerShell, with no native addon.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCommand } from './run-command';
import type { PrintResult, SendOptions } from './transports';

export const WINDOWS_ONLY_MESSAGE =
  'The Windows print spooler is only available on Windows; use cups:NAME here';

/** What to run: the program, its arguments, and the variables that carry the job. */
export interface SpoolerCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/**
 * Sends a file's bytes to a printer as one RAW document (OpenPrinter, StartDocPrinter with
 * datatype RAW, WritePrinter), so the driver passes ESC/POS or TSPL through untouched.
 * It answers one line: "ok", or the step that failed and the Win32 error number.
 * The printer name and file come from the environment, never from the script's text,
 * so no name can break out of a quoted string.
 */
const SCRIPT = `$ErrorActionPreference = 'Stop'
Add-Type -TypeDefinition @'
using System;
using System.Runtime.InteropServices;
public static class PopTillRawPrint {
  [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
  public class DocInfo { public string Name; public string OutputFile; public string Datatype; }
  [DllImport("winspool.drv", EntryPoint = "OpenPrinterW", CharSet = CharSet.Unicode, SetLastError = true)]
  static extern bool OpenPrinter(string name, out IntPtr printer, IntPtr defaults);
  [DllImport("winspool.drv", SetLastError = true)]
  static extern bool ClosePrinter(IntPtr printer);
  [DllImport("winspool.drv", EntryPoint = "StartDocPrinterW", CharSet = CharSet.Unicode, SetLastError = true)]
  static extern int StartDocPrinter(IntPtr printer, int level, [In] DocInfo info);
  [DllImport("winspool.drv", SetLastError = true)]
  static extern bool EndDocPrinter(IntPtr printer);
  [DllImport("winspool.drv", SetLastError = true)]
  static extern bool StartPagePrinter(IntPtr printer);
  [DllImport("winspool.drv", SetLastError = true)]
  static extern bool EndPagePrinter(IntPtr printer);
  [DllImport("winspool.drv", SetLastError = true)]
  static extern bool WritePrinter(IntPtr printer, byte[] bytes, int count, out int written);
  public static string Send(string name, string document, byte[] bytes) {
    IntPtr printer;
    if (!OpenPrinter(name, out printer, IntPtr.Zero)) return "open " + Marshal.GetLastWin32Error();
    try {
      DocInfo info = new DocInfo();
      info.Name = document;
      info.Datatype = "RAW";
      if (StartDocPrinter(printer, 1, info) == 0) return "start " + Marshal.GetLastWin32Error();
      try {
        if (!StartPagePrinter(printer)) return "page " + Marshal.GetLastWin32Error();
        int written;
        if (!WritePrinter(printer, bytes, bytes.Length, out written)) return "write " + Marshal.GetLastWin32Error();
        EndPagePrinter(printer);
        if (written != bytes.Length) return "short " + written;
      } finally {
        EndDocPrinter(printer);
      }
    } finally {
      ClosePrinter(printer);
    }
    return "ok";
  }
}
'@
$bytes = [System.IO.File]::ReadAllBytes($env:POPTILL_PRINT_FILE)
$answer = [PopTillRawPrint]::Send($env:POPTILL_PRINTER, $env:POPTILL_DOCUMENT, $bytes)
[Console]::Out.WriteLine($answer)
if ($answer -ne 'ok') { exit 2 }
`;

/**
 * The PowerShell call that prints `file` on `printer`. The script goes as -EncodedCommand
 * (base64 of UTF-16LE), which survives Windows command-line quoting whatever it contains.
 */
export function windowsSpoolerCommand(
  job: { printer: string; file: string; documentName: string },
  shell = 'powershell.exe',
): SpoolerCommand {
  return {
    command: shell,
    args: [
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-EncodedCommand',
      Buffer.from(SCRIPT, 'utf16le').toString('base64'),
    ],
    env: {
      POPTILL_PRINTER: job.printer,
      POPTILL_PRINT_FILE: job.file,
      POPTILL_DOCUMENT: job.documentName,
    },
  };
}

/** PowerShell's start-up and compiling the winspool shim take seconds on a slow laptop, before any byte moves. */
const SPOOLER_STARTUP_MS = 15_000;

type Failure = Extract<PrintResult, { ok: false }>;
const fail = (code: Failure['code'], message: string): Failure => ({ ok: false, code, message });

/** Win32 errors a person can act on. */
const WIN32_ERRORS: Record<number, (printer: string) => Failure> = {
  // ERROR_INVALID_PRINTER_NAME
  1801: (p) =>
    fail(
      'printer-unreachable',
      `Windows has no printer named "${p}" (check Settings → Printers & scanners)`,
    ),
  // ERROR_ACCESS_DENIED
  5: (p) => fail('printer-error', `Windows does not allow this user to print on "${p}"`),
  // RPC_S_SERVER_UNAVAILABLE: a shared printer whose computer is off
  1722: (p) => fail('printer-unreachable', `The computer sharing "${p}" is not answering`),
};

/** What the script's answer and exit code mean for the job. */
export function readSpoolerAnswer(
  printer: string,
  stdout: string,
  exitCode: number | null,
  stderr = '',
): PrintResult {
  const answer = stdout.trim().split(/\r?\n/).at(-1) ?? '';
  if (exitCode === 0 && answer === 'ok') return { ok: true };
  const step = /^(open|start|page|write|short) (\d+)$/.exec(answer);
  if (step) {
    const known = step[1] !== 'short' ? WIN32_ERRORS[Number(step[2])] : undefined;
    if (known) return known(printer);
    return fail(
      'printer-error',
      `Windows could not print on "${printer}" (${step[1]} failed, error ${step[2]})`,
    );
  }
  const why = stderr.trim().split(/\r?\n/)[0] || `PowerShell exited with ${exitCode}`;
  return fail('printer-error', `Windows could not print on "${printer}": ${why}`);
}

export interface SpoolerHost {
  /** Defaults to this computer's. */
  platform?: NodeJS.Platform;
  /** The PowerShell to run (tests point it at a stand-in). */
  shell?: string;
}

/** Hands the job to the spooler. The spooler queues for a printer that is off, so this proves delivery to Windows only. */
export async function sendWindowsSpooler(
  printer: string,
  bytes: Uint8Array,
  opts: Required<SendOptions>,
  host: SpoolerHost = {},
): Promise<PrintResult> {
  if ((host.platform ?? process.platform) !== 'win32') {
    return fail('unsupported-transport', WINDOWS_ONLY_MESSAGE);
  }
  const folder = await mkdtemp(path.join(tmpdir(), 'poptill-print-'));
  try {
    const file = path.join(folder, 'job.bin');
    await writeFile(file, bytes);
    const call = windowsSpoolerCommand({ printer, file, documentName: 'PopTill' }, host.shell);
    return await run(printer, call, SPOOLER_STARTUP_MS + opts.writeTimeoutMs);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function run(printer: string, call: SpoolerCommand, timeoutMs: number): Promise<PrintResult> {
  const outcome = await runCommand({ ...call, timeoutMs });
  switch (outcome.kind) {
    case 'timeout':
      return fail(
        'printer-timeout',
        `Windows did not take the job for "${printer}" within ${timeoutMs} ms`,
      );
    case 'spawn-error':
      return outcome.error.code === 'ENOENT'
        ? fail(
            'unsupported-transport',
            `${call.command} is missing: it is needed for win: printers`,
          )
        : fail('printer-error', `Could not start ${call.command}: ${outcome.error.message}`);
    case 'exit':
      return readSpoolerAnswer(printer, outcome.stdout, outcome.code, outcome.stderr);
  }
}
