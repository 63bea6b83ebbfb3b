import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { childEnv, repoRoot, nodeArgs } from './paths.js';
import { sleep } from './stats.js';

/** A TypeScript child process started by the bench, talking in lines on stdin/stdout. */
export interface Child {
  readonly pid: number;
  readonly process: ChildProcess;
  /** Next stdout line (optionally the next one `match` accepts); rejects after `timeoutMs` or when the child exits. */
  nextLine(timeoutMs: number, match?: (line: string) => boolean): Promise<string>;
  /** Writes one line to the child's stdin. */
  send(line: string): void;
  /** Ends the child by its PID: SIGTERM, then SIGKILL after 1 s. Resolves once it exited. */
  stop(): Promise<void>;
}

const live = new Set<number>();

// Whatever happens to the bench process, the children it started die with it (by PID only).
process.on('exit', () => {
  for (const pid of live) killQuietly(pid, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const pid of live) killQuietly(pid, 'SIGKILL');
    process.exit(130);
  });
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/** Whether a process with this PID still exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes sure a child that some library spawned for us (an SDK stdio transport)
 * is gone after its owner closed it: SIGTERM, then SIGKILL, by PID.
 */
export async function ensureExited(pid: number | undefined, graceMs = 3000): Promise<void> {
  if (pid === undefined) return;
  const deadline = performance.now() + graceMs;
  while (isAlive(pid) && performance.now() < deadline) await sleep(20);
  if (isAlive(pid)) {
    killQuietly(pid, 'SIGTERM');
    await sleep(300);
    if (isAlive(pid)) killQuietly(pid, 'SIGKILL');
  }
  // Gone: forget the PID, so the exit handler can never signal a process that reused it.
  live.delete(pid);
}

/** Registers a PID some library spawned so the bench kills it if it exits first. */
export function trackPid(pid: number | undefined): void {
  if (pid !== undefined) live.add(pid);
}

/** Starts `file` with `node --import tsx`, cwd the repository root, stderr inherited. */
export function startChild(file: string, args: readonly string[] = [], nodeFlags: readonly string[] = []): Child {
  const proc = spawn(process.execPath, nodeArgs(file, args, nodeFlags), {
    cwd: repoRoot,
    env: childEnv(),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  if (proc.pid === undefined) throw new Error(`could not start ${file}`);
  const pid = proc.pid;
  live.add(pid);
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => {
    proc.once('exit', () => {
      exited = true;
      live.delete(pid);
      resolve();
    });
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const wake = (): void => {
    for (const waiter of [...waiters]) waiter();
  };
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    lines.push(line);
    wake();
  });
  proc.once('exit', wake);
  proc.stdin!.on('error', () => {
    // The child may exit before reading what we wrote; that surfaces through nextLine.
  });

  return {
    pid,
    process: proc,
    nextLine(timeoutMs, match = () => true) {
      return new Promise<string>((resolve, reject) => {
        const check = (): void => {
          while (lines.length > 0) {
            const line = lines.shift()!;
            if (match(line)) {
              done();
              resolve(line);
              return;
            }
          }
          if (exited) {
            done();
            reject(new Error(`child ${pid} (${file}) exited before the expected line`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`child ${pid} (${file}): no line within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    send(line) {
      if (!exited) proc.stdin!.write(`${line}\n`);
    },
    async stop() {
      if (exited) return;
      killQuietly(pid, 'SIGTERM');
      const timer = setTimeout(() => killQuietly(pid, 'SIGKILL'), 1000);
      await exitedPromise;
      clearTimeout(timer);
    },
  };
}
