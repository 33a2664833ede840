// Owns which bridge channels are about printing and how each maps onto the PrintService (Electron main and the device host share this).
import type { PosBridge } from '../../shared/bridge';
import { type DiscoverOptions, discoverPrinters } from './discover';
import type { PrintService } from './print-service';

export const PRINT_CHANNELS = [
  'printers-list',
  'printers-save',
  'printers-remove',
  'printers-discover',
  'printers-test',
  'print-receipt',
  'print-labels',
  'print-report',
  'print-jobs',
  'print-retry',
  'print-cancel',
] as const;
export type PrintChannel = (typeof PRINT_CHANNELS)[number];

/** The print channels of the bridge, served by one PrintService; `discover` points printer discovery elsewhere (tests). */
export function printHandlers(
  service: PrintService,
  discover: DiscoverOptions = {},
): Pick<PosBridge, PrintChannel> {
  return {
    'printers-list': async () => service.listPrinters(),
    'printers-save': (printer) => service.savePrinter(printer),
    'printers-remove': (printerId) => service.removePrinter(printerId),
    'printers-discover': () => discoverPrinters(discover),
    'printers-test': (printerId) => service.testPrinter(printerId),
    'print-receipt': (request) => service.printReceipt(request),
    'print-labels': (request) => service.printLabels(request),
    'print-report': (request) => service.printReport(request),
    'print-jobs': async () => service.jobs(),
    'print-retry': (jobId, printerId) => service.retry(jobId, printerId),
    'print-cancel': (jobId) => service.cancel(jobId),
  };
}
