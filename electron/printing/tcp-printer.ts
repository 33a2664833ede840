// Owns talking to a raw network printer (TCP 9100): sending a job with an optional status check first, proof that the printer read it, and asking for status alone.
import net from 'node:net';
import { deliveryProbe, type PrinterStatus, StatusReader, statusQuery } from './printer-status';
import type { PrintErrorCode, PrintResult, SendOptions } from './transports';

type Failure = Extract<PrintResult, { ok: false }>;
const fail = (code: PrintErrorCode, message: string): Failure => ({ ok: false, code, message });

function describeSocketError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'no such host';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'network unreachable';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'the printer dropped the connection';
    default:
      return error.message;
  }
}

function printerAt(host: string, port: number): string {
  return `Printer at ${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function connectTimeoutMessage(where: string, opts: Required<SendOptions>): string {
  return `${where} is not answering (connect timeout after ${opts.connectTimeoutMs} ms)`;
}

/**
 * One connection to a raw TCP printer: optional status check, then the job. The job counts
 * as delivered once the printer has read all of it: it closes its side, or it answers a
 * status query sent after the job (it reads in order). A printer that took every byte but
 * does neither within the write timeout is "sent, not confirmed" (`unconfirmed`), not a
 * failure: it has the job and may well have printed it, and a failure would invite a
 * duplicate reprint. Only bytes still waiting on our side at the timeout mean it did not
 * take the job.
 */
export function sendTcp(
  host: string,
  port: number,
  bytes: Uint8Array,
  opts: Required<SendOptions>,
): Promise<PrintResult> {
  const where = printerAt(host, port);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    let phase: 'connect' | 'status' | 'job' = 'connect';
    const reader = new StatusReader(opts.statusDialect);
    let status: PrinterStatus | undefined;
    let askedAfterJob = false;
    /** Every byte of the job (and the query after it) has left this process for the printer. */
    let handedOver = false;

    const finish = (result: PrintResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const deadline = (ms: number, onTimeout: () => void) => {
      clearTimeout(timer);
      timer = setTimeout(onTimeout, ms);
    };

    const sendJob = () => {
      phase = 'job';
      reader.reset();
      deadline(opts.writeTimeoutMs, () =>
        finish(
          handedOver && socket.writableLength === 0
            ? { ok: true, unconfirmed: true, ...(status ? { status } : {}) }
            : fail(
                'printer-timeout',
                `${where} took the connection but did not take the job within ${opts.writeTimeoutMs} ms (busy, jammed or out of paper?)`,
              ),
        ),
      );
      socket.write(bytes);
      // Only a printer that answered before is asked again: its answer proves it read the job.
      askedAfterJob = status !== undefined;
      if (askedAfterJob) socket.write(deliveryProbe(opts.statusDialect));
      socket.end(() => {
        handedOver = true;
      });
    };

    deadline(opts.connectTimeoutMs, () =>
      finish(fail('printer-unreachable', connectTimeoutMessage(where, opts))),
    );
    socket.on('connect', () => {
      if (!opts.statusCheck) return sendJob();
      phase = 'status';
      deadline(opts.statusTimeoutMs, sendJob);
      socket.write(statusQuery(opts.statusDialect));
    });
    socket.on('data', (chunk: Buffer) => {
      const answer = reader.push(chunk);
      if (phase === 'status' && answer) {
        status = answer;
        if (status.paperOut) return finish(fail('paper-out', `${where} is out of paper`));
        if (status.coverOpen) return finish(fail('cover-open', `${where} has its cover open`));
        if (!status.online) return finish(fail('printer-error', `${where} is offline`));
        sendJob();
      } else if (phase === 'job' && askedAfterJob && reader.sawAnswer) {
        // It answered the query that followed the job, so it has read the whole job.
        finish({ ok: true, ...(status ? { status } : {}) });
      }
    });
    // The printer closing its side after reading everything is the other proof of delivery.
    socket.on('end', () => {
      if (phase === 'job') finish({ ok: true, ...(status ? { status } : {}) });
      else finish(fail('printer-error', `${where} closed the connection before the job was sent`));
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const why = describeSocketError(error);
      finish(
        phase === 'connect'
          ? fail('printer-unreachable', `${where} is not answering (${why})`)
          : fail('printer-error', `${where}: ${why}`),
      );
    });
  });
}

export type StatusResult =
  | { ok: true; status: PrinterStatus | null }
  | { ok: false; code: PrintErrorCode; message: string };

export function readStatus(
  host: string,
  port: number,
  opts: Required<SendOptions>,
): Promise<StatusResult> {
  const where = printerAt(host, port);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const reader = new StatusReader(opts.statusDialect);
    let connected = false;
    let settled = false;
    const done = (result: StatusResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    let timer = setTimeout(
      () => done(fail('printer-unreachable', connectTimeoutMessage(where, opts))),
      opts.connectTimeoutMs,
    );
    socket.on('connect', () => {
      connected = true;
      clearTimeout(timer);
      timer = setTimeout(() => done({ ok: true, status: null }), opts.statusTimeoutMs);
      socket.write(statusQuery(opts.statusDialect));
    });
    socket.on('data', (chunk: Buffer) => {
      const status = reader.push(chunk);
      if (status) done({ ok: true, status });
    });
    socket.on('end', () => done({ ok: true, status: null }));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      done(
        connected
          ? { ok: true, status: null }
          : fail(
              'printer-unreachable',
              `${where} is not answering (${describeSocketError(error)})`,
            ),
      ),
    );
  });
}
