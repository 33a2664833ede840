// Owns which printer addresses this computer lets a till use: `file:`/`serial:` only for printer device paths, `dir:` only under the app's data folder.
import path from 'node:path';

export interface AddressPolicy {
  /** The app's data folder: virtual printers (`dir:`) live under it and nowhere else. */
  dataDir: string;
  /** Where device files live: /dev (tests give a folder of their own). */
  devicesDir?: string;
}

/**
 * Printer devices by name under /dev: USB printer class (usb/lp0), parallel ports (lp0), serial
 * and USB-serial adapters (ttyUSB0, ttyACM0, ttyS0; macOS tty.* and cu.*), Bluetooth serial
 * (rfcomm0). Not disks, not /dev/shm or /dev/fd: a renderer must not turn a printer into a file writer.
 */
const DEVICE_NAME = /^(usb\/lp[\w.-]*|lp[\w.-]*|tty[\w.-]+|cu\.[\w.-]+|rfcomm\d+)$/;
/** Windows ports: COM3, LPT1, or the \\.\COM10 form. */
const WINDOWS_PORT = /^(\\\\\.\\)?(COM\d{1,3}|LPT\d)$/i;

const within = (folder: string, target: string): string | null => {
  const relative = path.relative(path.resolve(folder), path.resolve(folder, target));
  if (relative.startsWith('..') || path.isAbsolute(relative)) return null;
  return relative.split(path.sep).join('/');
};

/** Null when the path names a printer device; otherwise why not. */
function deviceProblem(device: string, policy: AddressPolicy): string | null {
  if (WINDOWS_PORT.test(device)) return null;
  const name = path.isAbsolute(device) ? within(policy.devicesDir ?? '/dev', device) : null;
  if (name !== null && DEVICE_NAME.test(name)) return null;
  return `${device} is not a printer device: use a device such as /dev/usb/lp0, /dev/ttyUSB0, COM3 or LPT1`;
}

/**
 * Null when `address` may be used here, or a sentence saying why not. Checked where a printer is
 * saved and again before every job is sent, so a printer saved before this rule cannot write either.
 */
export function printerAddressProblem(address: string, policy: AddressPolicy): string | null {
  const colon = address.indexOf(':');
  const scheme = address.slice(0, colon).toLowerCase();
  const rest = address.slice(colon + 1).replace(/^\/\/(?=\/)/, '');
  if (scheme === 'file') return deviceProblem(rest, policy);
  if (scheme === 'serial') return deviceProblem(rest.replace(/\?.*$/, ''), policy);
  if (scheme === 'dir') {
    if (path.isAbsolute(rest) && within(policy.dataDir, rest) !== null) return null;
    return `A virtual printer (dir:) writes only inside PopTill's data folder (${path.resolve(policy.dataDir)}), not ${rest}`;
  }
  return null;
}
