import { spawn } from 'node:child_process';

/**
 * Every child process this run started and has not yet seen exit, so the
 * run can end each one by its PID whatever happens (never by name).
 * @type {Map<number, import('node:child_process').ChildProcess>}
 */
const children = new Map();

/**
 * Spawns a child and tracks it until it exits.
 * @param {string} command
 * @param {readonly string[]} args
 * @param {import('node:child_process').SpawnOptions} options
 * @returns {import('node:child_process').ChildProcess}
 */
export function startChild(command, args, options) {
  const child = spawn(command, args, options);
  if (child.pid !== undefined) {
    const pid = child.pid;
    children.set(pid, child);
    child.once('exit', () => children.delete(pid));
  }
  return child;
}

/**
 * Resolves with the exit code (or the signal name) once `child` exited.
 * @param {import('node:child_process').ChildProcess} child
 * @returns {Promise<number | string>}
 */
export function exited(child) {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  if (child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.once('error', () => resolve('spawn error'));
  });
}

/**
 * Ends one child by its PID: SIGTERM, then SIGKILL when it is still there
 * after `graceMs`. Resolves once it exited.
 * @param {import('node:child_process').ChildProcess} child
 * @param {number} [graceMs]
 */
export async function endChild(child, graceMs = 5_000) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const done = exited(child);
  signal(child, 'SIGTERM');
  let timer;
  const killed = new Promise((resolve) => {
    timer = setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) signal(child, 'SIGKILL');
      resolve(undefined);
    }, graceMs);
  });
  await Promise.race([done, killed]);
  clearTimeout(timer);
  await done;
}

/**
 * Sends `name` to the child's PID; a child that exited meanwhile is not an error.
 * @param {import('node:child_process').ChildProcess} child
 * @param {NodeJS.Signals} name
 */
function signal(child, name) {
  try {
    if (child.pid !== undefined) process.kill(child.pid, name);
  } catch {
    // ESRCH: it exited between the check and the kill.
  }
}

/** Ends every child still running, each by its PID. */
export async function endAllChildren() {
  await Promise.all([...children.values()].map((child) => endChild(child).catch(() => undefined)));
}
