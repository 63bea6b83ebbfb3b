import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnv, killQuietly, stopChild } from './childProcess.js';

/** A real `redis-server` a test started (Debian's package, ensured by the project's global setup). */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Whether the process is running now. */
  readonly running: boolean;
  /** Kills it at once (SIGKILL, by PID), as a crash would; `start()` brings it back on the same port. */
  kill(): Promise<void>;
  /** Starts it again on the same port after `kill`, with nothing kept (no persistence). */
  start(): Promise<void>;
  /**
   * Freezes it (SIGSTOP, by PID): connections stay open and nothing is
   * answered, as with a Redis that stalls or a network path that drops
   * packets without closing anything. `resume()` undoes it.
   */
  pause(): void;
  /** Lets a paused Redis go on (SIGCONT); what it was sent meanwhile is answered then. */
  resume(): void;
  /** Stops it (SIGTERM, by PID) and removes its directory. */
  stop(): Promise<void>;
}

/** A port that was free a moment ago: redis-server cannot listen on port 0 and tell us. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Spawns redis-server on `port` and resolves once it accepts connections; rejects with its output when it exits first. */
function launch(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--protected-mode', 'no'], {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      if (child.pid !== undefined) killQuietly(child.pid, 'SIGKILL');
      reject(new Error(`redis-server did not start within 20 s on port ${port}:\n${output}`));
    }, 20_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        child.stderr!.resume();
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`redis-server exited (${code ?? signal}) before it was ready:\n${output}`), { addressInUse: output.includes('Address already in use') }));
    });
  });
}

/**
 * Starts a real redis-server on 127.0.0.1 at a free port with a temporary
 * directory and no persistence. A port taken between the probe and the
 * start is retried on another.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-redis-'));
  let port = 0;
  let child: ChildProcess | undefined;
  for (let attempt = 0; !child; attempt++) {
    port = await freePort();
    try {
      child = await launch(port, dir);
    } catch (error) {
      if (!(error as { addressInUse?: boolean }).addressInUse || attempt >= 5) throw error;
    }
  }
  const running = (): boolean => child !== undefined && child.exitCode === null && child.signalCode === null;
  let paused = false;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get running() {
      return running();
    },
    async kill() {
      if (!child || !running()) return;
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      paused = false;
      killQuietly(child.pid!, 'SIGKILL');
      await exited;
    },
    async start() {
      if (running()) return;
      paused = false;
      child = await launch(port, dir);
    },
    pause() {
      if (!running() || paused) return;
      paused = true;
      killQuietly(child!.pid!, 'SIGSTOP');
    },
    resume() {
      if (!running() || !paused) return;
      paused = false;
      killQuietly(child!.pid!, 'SIGCONT');
    },
    async stop() {
      // A stopped process would hold SIGTERM until it is continued.
      if (paused && running()) killQuietly(child!.pid!, 'SIGCONT');
      paused = false;
      if (child) await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
