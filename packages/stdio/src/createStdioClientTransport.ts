import { spawn, type ChildProcess } from 'node:child_process';
import { PassThrough, type Readable } from 'node:stream';
import { TransportError, type Transport, type TransportSink } from '@tidings/protocol';
import { DEFAULT_KILL_AFTER_MS, DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_QUEUED_BYTES } from './constants.js';
import { openLineChannel, type LineChannel } from './lineChannel.js';
import { readStderrLines } from './readStderrLines.js';

/**
 * What happens to the server's stderr, which is its log and never an error
 * (stdio.mdx): shown on this process's stderr, exposed as a stream, dropped,
 * or handed to a function line by line.
 */
export type StdioStderr = 'inherit' | 'pipe' | 'ignore' | ((line: string) => void);

/** Options of {@link createStdioClientTransport}. */
export interface StdioClientTransportOptions {
  /** Executable of the server; spawned directly, never through a shell. */
  readonly command: string;
  /** Its arguments. @default [] */
  readonly args?: readonly string[];
  /** The child's whole environment (not merged with this process's). @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The child's working directory. @default this process's */
  readonly cwd?: string;
  /**
   * The server's log. With `'pipe'`, read {@link StdioClientTransport.stderr}:
   * a server whose stderr nobody reads blocks once the pipe is full.
   * @default 'inherit'
   */
  readonly stderr?: StdioStderr;
  /**
   * Longest message (and stderr line) accepted from the server, in bytes.
   * A longer line is discarded as it streams in and reported through the
   * client's `onError`; it is not answered, as a client writes no responses.
   * @default 4 MiB
   */
  readonly maxMessageBytes?: number;
  /**
   * Outbound bytes that may wait in the child's stdin buffer for a slow
   * server before `send` rejects with a TransportError.
   * @default 64 MiB
   */
  readonly maxQueuedBytes?: number;
  /**
   * Wait at each step of the shutdown sequence: after stdin is closed the
   * child gets this long to exit before SIGTERM, then as long before SIGKILL.
   * @default 2000
   */
  readonly killAfterMs?: number;
}

/** How the server process ended: exactly one of the two is set. */
export interface StdioExit {
  /** Exit code when the process exited by itself. */
  readonly code: number | null;
  /** Signal that ended the process, if one did. */
  readonly signal: NodeJS.Signals | null;
}

/** The client end of a stdio wire: a spawned server process. */
export interface StdioClientTransport extends Transport {
  readonly kind: 'stdio';
  /** The child's process id; undefined before `start` and when spawning failed. */
  readonly pid: number | undefined;
  /** How the child ended; undefined while it runs (or never ran). */
  readonly exit: StdioExit | undefined;
  /**
   * The child's stderr when the `stderr` option is `'pipe'` (null otherwise).
   * It exists before `start`, so early output can be captured.
   */
  readonly stderr: Readable | null;
}

/** After `exit`, how long the child's pipes may take to close before they are destroyed (a grandchild may hold them). */
const EXIT_FLUSH_MS = 250;

/**
 * Creates the client end of a stdio wire (DESIGN §3). `start` (called by
 * `client.connect`) spawns the server with stdin and stdout piped; messages
 * go one per line. `close` runs the shutdown of stdio.mdx §shutdown: end the
 * child's stdin, SIGTERM after `killAfterMs`, SIGKILL after as long again;
 * it resolves once the child exited and every timer is cleared. A child that
 * exits by itself closes the wire with a TransportError naming its exit code
 * or signal, so pending requests reject with ConnectionClosed.
 */
export function createStdioClientTransport(options: StdioClientTransportOptions): StdioClientTransport {
  const { command } = options;
  const killAfterMs = options.killAfterMs ?? DEFAULT_KILL_AFTER_MS;
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const stderrOption = options.stderr ?? 'inherit';
  const stderrStream = stderrOption === 'pipe' ? new PassThrough() : null;
  const timers = new Set<NodeJS.Timeout>();
  let child: ChildProcess | undefined;
  let sink: TransportSink | undefined;
  let channel: LineChannel | undefined;
  let detachStderr: (() => void) | undefined;
  let exit: StdioExit | undefined;
  let requested = false;
  let stopping = false;
  let finished = false;
  let markFinished!: () => void;
  const finishedPromise = new Promise<void>((resolve) => {
    markFinished = resolve;
  });

  const report = (error: TransportError): void => {
    try {
      sink?.error(error);
    } catch {
      // A sink that throws must not break a child-process event.
    }
  };
  const arm = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };
  const clearTimers = (): void => {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  };
  const signal = (name: NodeJS.Signals): void => {
    try {
      child?.kill(name);
    } catch (cause) {
      report(new TransportError(`Cannot send ${name} to the server`, { cause }));
    }
  };

  const finish = (reason?: Error): void => {
    if (finished) return;
    finished = true;
    clearTimers();
    channel?.close(new TransportError('The stdio transport is closed'));
    detachStderr?.();
    // Pipes that a grandchild still holds would keep this process alive.
    child?.stdin?.destroy();
    child?.stdout?.destroy();
    child?.stderr?.destroy();
    if (stderrStream && !stderrStream.writableEnded) stderrStream.end();
    markFinished();
    try {
      sink?.closed(reason);
    } catch {
      // The core's sink does not throw; another must not break a child-process event.
    }
  };

  const exitReason = (): TransportError | undefined => {
    if (requested || !exit) return undefined;
    return new TransportError(
      exit.signal ? `server exited with signal ${exit.signal}` : `server exited with code ${exit.code}`,
    );
  };

  /** Ends stdin and arms the escalation (stdio.mdx §shutdown). */
  const stop = (): void => {
    if (stopping || finished || !child) return;
    stopping = true;
    channel?.endOutput();
    arm(killAfterMs, () => {
      signal('SIGTERM');
      arm(killAfterMs, () => signal('SIGKILL'));
    });
  };

  const onExit = (code: number | null, name: NodeJS.Signals | null): void => {
    exit = { code, signal: name };
    clearTimers();
    arm(EXIT_FLUSH_MS, () => finish(exitReason()));
  };
  const onChildError = (cause: Error): void => {
    if (child?.pid === undefined) finish(new TransportError(`Cannot start ${command}: ${cause.message}`, { cause }));
    else report(new TransportError(`Server process error: ${cause.message}`, { cause }));
  };

  return {
    kind: 'stdio',
    get pid() {
      return child?.pid;
    },
    get exit() {
      return exit;
    },
    stderr: stderrStream,
    start(coreSink) {
      if (sink) throw new TransportError('The stdio client transport was already started');
      sink = coreSink;
      if (finished) {
        coreSink.closed();
        return;
      }
      try {
        child = spawn(command, [...(options.args ?? [])], {
          cwd: options.cwd,
          env: options.env ?? process.env,
          stdio: ['pipe', 'pipe', typeof stderrOption === 'function' ? 'pipe' : stderrOption],
          windowsHide: true,
        });
      } catch (cause) {
        finish(new TransportError(`Cannot start ${command}: ${(cause as Error).message}`, { cause }));
        return;
      }
      child.on('error', onChildError);
      child.on('exit', onExit);
      // `close` follows `exit` once the pipes closed, after the last message was read.
      child.on('close', () => finish(exitReason()));
      channel = openLineChannel({
        input: child.stdout!,
        output: child.stdin!,
        maxMessageBytes,
        maxQueuedBytes: options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES,
        answerOversize: false,
        sink: coreSink,
        // The server closing its stdout is its way to shut down (stdio.mdx §shutdown).
        onInputEnd: () => {
          if (!exit) stop();
        },
      });
      if (stderrStream) child.stderr!.pipe(stderrStream);
      else if (typeof stderrOption === 'function') {
        detachStderr = readStderrLines(child.stderr!, maxMessageBytes, stderrOption, report);
      }
    },
    send(data, sendOptions) {
      if (!channel || finished) return Promise.reject(new TransportError('The stdio transport is not open'));
      return channel.send(data, sendOptions?.queued);
    },
    close() {
      requested = true;
      if (!child || finished) {
        finish();
        return Promise.resolve();
      }
      stop();
      return finishedPromise;
    },
  };
}
