// Running a print command (lp, PowerShell) with bytes on stdin and a deadline: how it ended, for the transport to put in words.
import { spawn } from 'node:child_process';

export type CommandOutcome =
  | { kind: 'exit'; code: number | null; stdout: string; stderr: string }
  | { kind: 'timeout' }
  /** The command could not start (ENOENT: not installed). */
  | { kind: 'spawn-error'; error: NodeJS.ErrnoException };

export function runCommand(call: {
  command: string;
  args: readonly string[];
  env?: Record<string, string>;
  stdin?: Uint8Array;
  timeoutMs: number;
}): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    const child = spawn(call.command, call.args, {
      env: { ...process.env, ...call.env },
      stdio: [call.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let stdout = '';
    let stderr = '';
    let settled = false;
    const finish = (outcome: CommandOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      child.kill();
      finish({ kind: 'timeout' });
    }, call.timeoutMs);
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', (error: NodeJS.ErrnoException) => finish({ kind: 'spawn-error', error }));
    child.on('close', (code) => finish({ kind: 'exit', code, stdout, stderr }));
    if (call.stdin && child.stdin) {
      // A command may exit before reading (no such queue): its exit code says why, not EPIPE.
      child.stdin.on('error', () => {});
      child.stdin.end(call.stdin);
    }
  });
}
