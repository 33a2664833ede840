// The Windows spooler transport: the PowerShell call it builds, what its answers mean, and the job's round trip through a stand-in PowerShell.
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { printerConfigSchema } from '../../shared/printing';
import { parsePrinterUrl, sendToPrinter } from './transports';
import { readSpoolerAnswer, sendWindowsSpooler, windowsSpoolerCommand } from './windows-spooler';

const opts = {
  connectTimeoutMs: 500,
  writeTimeoutMs: 5000,
  statusCheck: false,
  statusDialect: 'escpos',
  statusTimeoutMs: 100,
} as const;

const script = (args: string[]) => {
  const at = args.indexOf('-EncodedCommand');
  return Buffer.from(args[at + 1] ?? '', 'base64').toString('utf16le');
};

describe('win:PRINTER NAME', () => {
  it('is an address, with spaces and share paths kept whole', () => {
    expect(parsePrinterUrl('win:EPSON TM-T20III Receipt')).toEqual({
      kind: 'win',
      printer: 'EPSON TM-T20III Receipt',
    });
    expect(parsePrinterUrl('win:\\\\shop-pc\\Zebra ZD220')).toEqual({
      kind: 'win',
      printer: '\\\\shop-pc\\Zebra ZD220',
    });
    expect(parsePrinterUrl('win:')).toMatchObject({ ok: false, code: 'bad-printer-address' });
    const saved = printerConfigSchema.safeParse({
      id: 'w',
      name: 'Counter',
      kind: 'receipt',
      language: 'escpos',
      address: 'win:EPSON TM-T20III Receipt',
    });
    expect(saved.success).toBe(true);
  });

  it('off Windows says to use the CUPS queue instead, and sends nothing', async () => {
    if (process.platform === 'win32') return;
    const result = await sendToPrinter('win:EPSON TM-T20III', Uint8Array.of(0x1b, 0x40));
    expect(result).toEqual({
      ok: false,
      code: 'unsupported-transport',
      message: 'The Windows print spooler is only available on Windows; use cups:NAME here',
    });
  });
});

describe('the PowerShell call', () => {
  it('sends the file as one RAW document through winspool', () => {
    const call = windowsSpoolerCommand({
      printer: 'Counter',
      file: 'C:\\Temp\\job.bin',
      documentName: 'PopTill',
    });
    expect(call.command).toBe('powershell.exe');
    expect(call.args.slice(0, 5)).toEqual([
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-EncodedCommand',
    ]);
    const text = script(call.args);
    for (const step of ['OpenPrinterW', 'StartDocPrinterW', 'WritePrinter', 'EndDocPrinter']) {
      expect(text).toContain(step);
    }
    expect(text).toContain('info.Datatype = "RAW"');
    expect(text).toContain('[System.IO.File]::ReadAllBytes($env:POPTILL_PRINT_FILE)');
  });

  it('carries the printer name in the environment, never in the script it runs', () => {
    const name = `Bob's "Star" $(Remove-Item C:\\) '@`;
    const call = windowsSpoolerCommand({ printer: name, file: 'C:\\j.bin', documentName: 'x' });
    expect(call.env).toEqual({
      POPTILL_PRINTER: name,
      POPTILL_PRINT_FILE: 'C:\\j.bin',
      POPTILL_DOCUMENT: 'x',
    });
    expect(call.args.join(' ')).not.toContain('Bob');
    expect(script(call.args)).not.toContain('Bob');
  });

  it('turns Windows errors into words a person can act on', () => {
    expect(readSpoolerAnswer('Counter', 'ok\r\n', 0)).toEqual({ ok: true });
    expect(readSpoolerAnswer('Counter', 'open 1801\r\n', 2)).toEqual({
      ok: false,
      code: 'printer-unreachable',
      message: 'Windows has no printer named "Counter" (check Settings → Printers & scanners)',
    });
    expect(readSpoolerAnswer('Counter', 'write 31\n', 2)).toMatchObject({
      code: 'printer-error',
      message: 'Windows could not print on "Counter" (write failed, error 31)',
    });
    expect(readSpoolerAnswer('Counter', '', 1, 'Add-Type : Cannot add type.\nmore')).toEqual({
      ok: false,
      code: 'printer-error',
      message: 'Windows could not print on "Counter": Add-Type : Cannot add type.',
    });
  });
});

describe('a job through a stand-in PowerShell', () => {
  let folder: string;
  let shell: string;

  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'poptill-winspool-'));
    shell = path.join(folder, 'powershell');
    // Does what the real script does with the spooler: takes the job file and answers one line.
    await writeFile(
      shell,
      `#!/usr/bin/env node
const fs = require('node:fs');
if (!process.argv.includes('-EncodedCommand')) { console.log('no script'); process.exit(1); }
if (process.env.POPTILL_PRINTER !== 'Front counter') { console.log('open 1801'); process.exit(2); }
fs.copyFileSync(process.env.POPTILL_PRINT_FILE, ${JSON.stringify(path.join(folder, 'spooled.bin'))});
fs.writeFileSync(${JSON.stringify(path.join(folder, 'job-file.txt'))}, process.env.POPTILL_PRINT_FILE);
console.log('ok');
`,
    );
    await chmod(shell, 0o755);
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it('hands Windows the exact bytes and cleans up its temporary file', async () => {
    if (process.platform === 'win32') return;
    const bytes = Uint8Array.from([0x1b, 0x40, 0x48, 0x69, 0x0a, 0x00, 0xff, 0x1d, 0x56, 0x00]);
    const result = await sendWindowsSpooler('Front counter', bytes, opts, {
      platform: 'win32',
      shell,
    });
    expect(result).toEqual({ ok: true });
    expect([...(await readFile(path.join(folder, 'spooled.bin')))]).toEqual([...bytes]);
    const jobFile = await readFile(path.join(folder, 'job-file.txt'), 'utf8');
    const jobDir = path.dirname(jobFile);
    expect((await readdir(path.dirname(jobDir))).includes(path.basename(jobDir))).toBe(false);
  });

  it('reports a printer Windows does not know by name', async () => {
    if (process.platform === 'win32') return;
    const result = await sendWindowsSpooler('Back room', Uint8Array.of(0x0a), opts, {
      platform: 'win32',
      shell,
    });
    expect(result).toMatchObject({ ok: false, code: 'printer-unreachable' });
    expect(result.ok ? '' : result.message).toContain('Windows has no printer named "Back room"');
  });
});
