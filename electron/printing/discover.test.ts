// Finding printers: device files in a folder of our own, CUPS queues and Windows printers from stand-in commands, each with an address the form takes.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { printerConfigSchema } from '../../shared/printing';
import { discoverPrinters, serialDeviceFiles } from './discover';

let dir: string;

/** A stand-in command: prints `stdout`, writes `stderr`, exits with `code`. */
async function command(name: string, stdout: string, code = 0, stderr = '') {
  const file = path.join(dir, name);
  await writeFile(
    file,
    `#!/usr/bin/env node
process.stdout.write(${JSON.stringify(stdout)});
process.stderr.write(${JSON.stringify(stderr)});
process.exitCode = ${code};
`,
  );
  await chmod(file, 0o755);
  return file;
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'poptill-discover-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('discoverPrinters', () => {
  it('lists USB and parallel printer device files and CUPS queues, each with a ready address', async () => {
    const dev = path.join(dir, 'dev');
    await mkdir(path.join(dev, 'usb'), { recursive: true });
    for (const f of ['usb/lp1', 'usb/lp0', 'usb/hiddev0', 'lp0', 'tty0', 'lpx']) {
      await writeFile(path.join(dev, f), '');
    }
    const lpstat = await command('lpstat', 'Zebra_ZD220\nOffice-Laser\n');

    const found = await discoverPrinters({
      devDir: dev,
      lpstat,
      platform: 'linux',
      serialPorts: false,
    });

    expect(found).toEqual({
      candidates: [
        { address: `file:${dev}/usb/lp0`, label: 'USB printer lp0', via: 'usb' },
        { address: `file:${dev}/usb/lp1`, label: 'USB printer lp1', via: 'usb' },
        { address: `file:${dev}/lp0`, label: 'Printer port lp0', via: 'usb' },
        { address: 'cups:Zebra_ZD220', label: 'Print queue Zebra_ZD220', via: 'cups' },
        { address: 'cups:Office-Laser', label: 'Print queue Office-Laser', via: 'cups' },
      ],
      problems: [],
    });
    // Picking one fills a printer the settings accept as it is.
    for (const c of found.candidates) {
      const saved = printerConfigSchema.safeParse({
        id: 'p',
        name: c.label,
        kind: 'receipt',
        language: 'escpos',
        address: c.address,
      });
      expect(saved.success, c.address).toBe(true);
    }
  });

  it('finds nothing, quietly, where there is no CUPS and no printer plugged in', async () => {
    const found = await discoverPrinters({
      devDir: path.join(dir, 'no-such-dev'),
      lpstat: path.join(dir, 'no-such-lpstat'),
      platform: 'linux',
      serialPorts: false,
    });
    expect(found).toEqual({ candidates: [], problems: [] });
  });

  it('names a place it could not search instead of failing the whole search', async () => {
    await mkdir(path.join(dir, 'usb'));
    await writeFile(path.join(dir, 'usb', 'lp0'), '');
    const lpstat = await command('lpstat', '', 1, 'lpstat: Unable to connect to server\n');
    const found = await discoverPrinters({
      devDir: dir,
      lpstat,
      platform: 'linux',
      serialPorts: false,
    });
    expect(found.candidates.map((c) => c.address)).toEqual([`file:${dir}/usb/lp0`]);
    expect(found.problems).toEqual(['Print queues (lpstat): lpstat: Unable to connect to server']);
  });

  it('on Windows lists the spooler’s printers as win: addresses, names with spaces kept', async () => {
    const powershell = await command(
      'powershell',
      'EPSON TM-T20III Receipt\r\nMicrosoft Print to PDF\r\n\r\n',
    );
    const found = await discoverPrinters({ platform: 'win32', powershell, serialPorts: false });
    expect(found.candidates).toEqual([
      {
        address: 'win:EPSON TM-T20III Receipt',
        label: 'Windows printer EPSON TM-T20III Receipt',
        via: 'windows',
      },
      {
        address: 'win:Microsoft Print to PDF',
        label: 'Windows printer Microsoft Print to PDF',
        via: 'windows',
      },
    ]);
  });

  it('finds USB-serial adapters by their device files where serialport cannot list ports', async () => {
    const devDir = path.join(dir, 'serial-dev');
    await mkdir(devDir, { recursive: true });
    for (const name of ['ttyUSB1', 'ttyACM0', 'ttyUSB0', 'ttyS0', 'tty1'])
      await writeFile(path.join(devDir, name), '');
    expect(await serialDeviceFiles(devDir)).toEqual([
      {
        address: `serial:${devDir}/ttyACM0`,
        label: `Serial port ${devDir}/ttyACM0`,
        via: 'serial',
      },
      {
        address: `serial:${devDir}/ttyUSB0`,
        label: `Serial port ${devDir}/ttyUSB0`,
        via: 'serial',
      },
      {
        address: `serial:${devDir}/ttyUSB1`,
        label: `Serial port ${devDir}/ttyUSB1`,
        via: 'serial',
      },
    ]);
  });

  it('lists serial ports through serialport, with addresses the form takes', async () => {
    const found = await discoverPrinters({
      devDir: path.join(dir, 'none'),
      lpstat: path.join(dir, 'none'),
      platform: 'linux',
    });
    expect(found.problems).toEqual([]);
    for (const c of found.candidates) {
      expect(c.via).toBe('serial');
      expect(c.address).toMatch(/^serial:\S+$/);
    }
  });
});
