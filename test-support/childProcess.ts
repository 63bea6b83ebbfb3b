import { spawn, type ChildProcess } from 'node:child_process';

/**
 * The environment of every child a test starts: this process's, less
 * NODE_EXTRA_CA_CERTS, which Node parses at every start-up (about 100 ms on a
 * busy 2-core machine) while no child of a test opens a TLS connection.
 */
export const childEnv: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && e[0] !== 'NODE_EXTRA_CA_CERTS'),
);

/** How long a child may take to exit after SIGTERM before it gets SIGKILL. */
const KILL_AFTER_MS = 5_000;

/**
 * Stops a child a test started, by its PID: SIGTERM, then SIGKILL if it is
 * still there after 5 s. Resolves once it exited; every timer is cleared.
 */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      if (child.pid !== undefined) killQuietly(child.pid, 'SIGKILL');
    }, KILL_AFTER_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.pid !== undefined) killQuietly(child.pid, 'SIGTERM');
  });
}

/** Sends a signal to a process by id; a process that is already gone is not an error. */
export function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Whether a process with this id is running. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A network server a test started as a child process. */
export interface ServerProcess {
  /** What it printed after `listening `. */
  readonly url: string;
  readonly pid: number;
  /** Stops it by PID (see {@link stopChild}). */
  stop(): Promise<void>;
}

/** Bytes of a child's stderr kept to explain a start that failed. */
const MAX_STDERR_KEPT = 8 * 1024;

/**
 * Starts `node <script> ...args` and resolves once it printed
 * `listening <url>` on stderr, the reference server's ready line. Rejects
 * with the child's stderr when it exits first or takes longer than
 * `timeoutMs`; the child is stopped then.
 */
export function startServerProcess(script: string, args: readonly string[], timeoutMs = 30_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, [script, ...args], { env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let stderr = '';
    let settled = false;
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stopChild(child).then(() => reject(new Error(`${script} ${args.join(' ')}: ${why}\n${stderr}`)));
    };
    const timer = setTimeout(() => fail(`not listening after ${timeoutMs} ms`), timeoutMs);
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code}) before listening`));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-MAX_STDERR_KEPT);
      const ready = /^listening (\S+)$/m.exec(stderr);
      if (!ready || settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ url: ready[1]!, pid: child.pid!, stop: () => stopChild(child) });
    });
  });
}
