import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inject } from 'vitest';
import { childEnv, startServerProcess, stopChild, type ServerProcess } from '../../../../test-support/childProcess.js';

/** `node <this>` runs the CLI from the sources (bundled by the globalSetup). */
export const tidingsScript = (): string => join(inject('cliScriptsDir'), 'tidings.mjs');
/** `node <this> --transport X` runs the reference server. */
export const referenceScript = (): string => join(inject('cliScriptsDir'), 'referenceServer.mjs');

/** Starts the reference server on a network transport, on 127.0.0.1 and a free port. */
export const startReference = (transport: 'streamable-http' | 'sse' | 'websocket'): Promise<ServerProcess> =>
  startServerProcess(referenceScript(), ['--transport', transport, '--port', '0']);

/** A config entry that starts the reference server over stdio. */
export const stdioEntry = () => ({ command: process.execPath, args: [referenceScript(), '--transport', 'stdio'] });

/** A folder for one test file's config files; `remove` deletes it. */
export function scratchDir(): { readonly path: string; write(name: string, json: unknown): string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'tidings-cli-'));
  return {
    path,
    write(name, json) {
      const file = join(path, name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, typeof json === 'string' ? json : JSON.stringify(json, null, 2));
      return file;
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** What a finished CLI run printed and how it ended. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Output kept per stream: far more than any test prints, so a runaway run cannot grow without bound. */
const MAX_OUTPUT = 1024 * 1024;

/** A CLI run in progress, its output piped (not a terminal, as in CI or `| jq`). */
export interface RunningCli {
  readonly pid: number;
  /** Everything printed on stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when it exited. */
  readonly done: Promise<CliRun>;
  /** Stops reading its stdout, as `| head` does once it has its lines. */
  closeStdout(): void;
  /** Sends a signal by PID (SIGINT is what Ctrl-C sends). */
  signal(name: NodeJS.Signals): void;
  /** Stops it if it still runs. */
  stop(): Promise<void>;
}

/** Where and with what a CLI run starts. */
export interface CliStart {
  /** Added to (or, as '', blanking) the test's environment. */
  readonly env?: Record<string, string>;
  /** @default this process's */
  readonly cwd?: string;
}

/** Starts `tidings …args` with stdout and stderr piped and no stdin, as CI runs it. */
export function startCli(args: readonly string[], start: CliStart = {}): RunningCli {
  const env = { ...childEnv, ...start.env };
  const child = spawn(process.execPath, [tidingsScript(), ...args], { env, cwd: start.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => void (stdout = (stdout + chunk).slice(-MAX_OUTPUT)));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => void (stderr = (stderr + chunk).slice(-MAX_OUTPUT)));
  const done = new Promise<CliRun>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  return {
    pid: child.pid!,
    stdout: () => stdout,
    stderr: () => stderr,
    done,
    closeStdout: () => void child.stdout!.destroy(),
    signal: (name) => void child.kill(name),
    stop: () => stopChild(child),
  };
}

/** Runs `tidings …args` to the end. */
export const runCli = (args: readonly string[], start?: CliStart): Promise<CliRun> => startCli(args, start).done;
