// A printer address cannot turn the print service into a file writer: device paths only for file:/serial:, dir: only under the data folder.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PrintService } from './print-service';
import { printerAddressProblem } from './printer-address-policy';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'poptill-policy-'));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

describe('printerAddressProblem', () => {
  it('allows printer devices, network and spooler printers, and folders inside the data folder', () => {
    const policy = { dataDir: '/var/lib/poptill/printing' };
    for (const ok of [
      'file:/dev/usb/lp0',
      'file:///dev/usb/lp1',
      'file:/dev/lp0',
      'file:/dev/ttyUSB0',
      'file:/dev/cu.usbserial-1410',
      'file:COM3',
      'file:LPT1',
      'file:\\\\.\\COM10',
      'serial:/dev/ttyUSB0?baud=9600',
      'serial:COM3',
      'tcp://192.168.1.50:9100',
      'cups:Receipts',
      'win:EPSON TM-T20III',
      'dir:/var/lib/poptill/printing/virtual',
    ]) {
      expect(printerAddressProblem(ok, policy), ok).toBeNull();
    }
  });

  it('refuses ordinary files, disks, /dev/shm, escapes from /dev and folders elsewhere', () => {
    const policy = { dataDir: '/var/lib/poptill/printing' };
    for (const bad of [
      'file:/tmp/x',
      'file:/home/till/.bashrc',
      'file:/dev/sda',
      'file:/dev/shm/evil',
      'file:/dev/../etc/cron.d/x',
      'file:/dev/usb/../../tmp/lp0',
      'file:lp0',
      'serial:/tmp/fifo',
      'dir:/etc',
      'dir:/var/lib/poptill/printing/../../../../etc',
      'dir:virtual',
    ]) {
      expect(printerAddressProblem(bad, policy), bad).toMatch(/printer device|data folder/);
    }
    expect(printerAddressProblem('file:/tmp/x', policy)).toBe(
      '/tmp/x is not a printer device: use a device such as /dev/usb/lp0, /dev/ttyUSB0, COM3 or LPT1',
    );
    expect(printerAddressProblem('dir:/etc', policy)).toBe(
      "A virtual printer (dir:) writes only inside PopTill's data folder (/var/lib/poptill/printing), not /etc",
    );
  });
});

describe('PrintService and printer addresses', () => {
  const printer = (address: string) => ({
    id: 'p1',
    name: 'Counter',
    kind: 'receipt' as const,
    language: 'escpos' as const,
    address,
  });

  it('refuses to save a printer that would write a file, and keeps the printers it had', async () => {
    const service = await PrintService.open({ dataDir, retryEveryMs: 0 });
    const outside = await mkdtemp(path.join(tmpdir(), 'poptill-outside-'));
    try {
      await expect(service.savePrinter(printer(`file:${outside}/x`))).rejects.toMatchObject({
        code: 'bad-printer-address',
        message: expect.stringContaining('is not a printer device'),
      });
      await expect(service.savePrinter(printer('dir:/etc'))).rejects.toThrow(/data folder/);
      expect(service.listPrinters()).toEqual([]);
      expect(await readdir(outside)).toEqual([]);
    } finally {
      await service.close();
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('a virtual printer inside the data folder still gets each job as a file', async () => {
    const service = await PrintService.open({ dataDir, retryEveryMs: 0 });
    try {
      const folder = path.join(dataDir, 'virtual');
      await service.savePrinter(printer(`dir:${folder}`));
      const job = await service.testPrinter('p1');
      expect(job.status).toBe('done');
      expect(await readdir(folder)).toEqual(['000001.bin']);
    } finally {
      await service.close();
    }
  });

  it('a printer saved before this rule cannot write outside either: its job fails with the reason', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'poptill-outside-'));
    await mkdir(dataDir, { recursive: true });
    await writeFile(
      path.join(dataDir, 'printers.json'),
      JSON.stringify([{ ...printer(`file:${outside}/x`), isDefault: true }]),
    );
    const service = await PrintService.open({ dataDir, retryEveryMs: 0 });
    try {
      const job = await service.testPrinter('p1');
      expect(job).toMatchObject({ status: 'failed', lastError: { code: 'bad-printer-address' } });
      expect(await readdir(outside)).toEqual([]);
      const stored = JSON.parse(await readFile(path.join(dataDir, 'jobs.json'), 'utf8'));
      expect(stored[0].status).toBe('failed');
    } finally {
      await service.close();
      await rm(outside, { recursive: true, force: true });
    }
  });
});
