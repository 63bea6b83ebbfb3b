import type { ServerResponse } from 'node:http';
import { nextTurn, SSE_KEEPALIVE, TransportError } from '@tidings/protocol';

/** Headers of every SSE response (2026-07-28 streamable-http §receiving: `X-Accel-Buffering: no`). */
const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

/**
 * How far one SSE connection may fall behind (PROTOCOL.md §slow-consumers):
 * a client that far behind is cut off; a legacy client resumes from the
 * event store with `Last-Event-ID`, a modern listen stream ends so the client
 * listens again, a modern request ends (cancelled).
 */
export interface SseLimits {
  /** Bytes waiting in Node's buffer. */
  readonly maxQueuedBytes: number;
  /** Writes waiting above Node's high-water mark. */
  readonly maxQueuedMessages: number;
}

/** The defaults of {@link SseLimits}: 8 MiB, 10,000 messages. */
export const DEFAULT_SSE_LIMITS: SseLimits = { maxQueuedBytes: 8 * 1024 * 1024, maxQueuedMessages: 10_000 };

const RESOLVED = Promise.resolve();

/** A client cut off by the slow-consumer policy. */
export class SlowConsumerError extends TransportError {
  constructor(messages: number, bytes: number, limits: SseLimits) {
    super(
      `the client reads too slowly: ${messages} messages (${bytes} bytes) were waiting, over the limit of ` +
        `${limits.maxQueuedMessages} messages or ${limits.maxQueuedBytes} bytes, so its stream was cut off`,
    );
  }
}

/**
 * One open SSE response. `write` resolves when Node accepted the bytes: at
 * once while the socket keeps up, otherwise after the one shared `drain`
 * wait (a single listener however many writes wait on it).
 */
export class SseConnection {
  /** The underlying response. */
  readonly res: ServerResponse;
  #closed = false;
  #drain: Promise<void> | undefined;
  /** Writes Node took above its high-water mark since the last `drain`. */
  #backlog = 0;
  #onClose: Set<() => void> | undefined; // most connections never get a close listener
  readonly #hub: KeepAliveHub;

  /** Starts the SSE response (status 200, SSE headers plus `headers`) and registers it for keep-alives. */
  constructor(res: ServerResponse, hub: KeepAliveHub, headers: Readonly<Record<string, string>> = {}) {
    this.res = res;
    this.#hub = hub;
    res.writeHead(200, { ...SSE_HEADERS, ...headers });
    res.flushHeaders();
    // `on`, not `once`: a response closes once, and the once-wrapper costs per open stream.
    res.on('close', () => this.#finish());
    hub.add(this);
  }

  /** Whether the response ended (by us or by the client). */
  get closed(): boolean {
    return this.#closed;
  }

  /** Calls `listener` once when the connection is gone. */
  onClose(listener: () => void): void {
    if (this.#closed) listener();
    else (this.#onClose ??= new Set()).add(listener);
  }

  /**
   * Writes raw SSE text; rejects when the client is gone. Resolves at once
   * when Node took the bytes under its high-water mark or when `queued` (a
   * server-initiated notification never waits for one reader), else on the
   * next `drain`. Past the hub's {@link SseLimits}, the client is cut off
   * and the write rejects with a {@link SlowConsumerError}.
   */
  write(chunk: string, queued = false): Promise<void> {
    if (this.#closed) return Promise.reject(new TransportError('the SSE connection is closed'));
    if (this.res.write(chunk)) return RESOLVED;
    this.#backlog++;
    const buffered = this.res.writableLength;
    const { limits } = this.#hub;
    if (buffered > limits.maxQueuedBytes || this.#backlog > limits.maxQueuedMessages) {
      this.res.destroy();
      this.#finish();
      return Promise.reject(new SlowConsumerError(this.#backlog, buffered, limits));
    }
    this.#drain ??= new Promise<void>((resolve) => {
      const done = (): void => {
        this.res.off('drain', done);
        this.res.off('close', done);
        this.#drain = undefined;
        this.#backlog = 0;
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
    return queued ? nextTurn() : this.#drain;
  }

  /** Writes a keep-alive comment unless the socket is backed up (then data is flowing anyway). */
  keepAlive(): void {
    if (!this.#closed && this.#drain === undefined) this.res.write(SSE_KEEPALIVE);
  }

  /** Ends the response; the client sees the stream end. */
  end(): void {
    if (this.#closed) return;
    this.res.end();
    this.#finish();
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#hub.delete(this);
    const listeners = [...(this.#onClose ?? [])];
    this.#onClose = undefined;
    for (const listener of listeners) listener();
  }
}

/**
 * What every open SSE connection of a handler shares: `:` keep-alive
 * comments from one interval (2026-07-28 streamable-http §receiving, note on
 * long-lived streams), armed only while a connection is open, and the
 * slow-consumer bounds.
 */
export class KeepAliveHub {
  /** How far each connection may fall behind. */
  readonly limits: SseLimits;
  readonly #connections = new Set<SseConnection>();
  readonly #intervalMs: number;
  #timer: ReturnType<typeof setInterval> | undefined;

  /** `intervalMs` of 0 (or Infinity) sends no keep-alives. */
  constructor(intervalMs: number, limits: SseLimits = DEFAULT_SSE_LIMITS) {
    this.#intervalMs = intervalMs;
    this.limits = limits;
  }

  /** Starts keeping `connection` alive (arms the interval for the first one). */
  add(connection: SseConnection): void {
    this.#connections.add(connection);
    if (this.#timer === undefined && this.#intervalMs > 0 && Number.isFinite(this.#intervalMs)) {
      this.#timer = setInterval(() => {
        for (const c of this.#connections) c.keepAlive();
      }, this.#intervalMs);
    }
  }

  /** Stops keeping `connection` alive (disarms the interval after the last one). */
  delete(connection: SseConnection): void {
    this.#connections.delete(connection);
    if (this.#connections.size === 0) this.stop();
  }

  /** Open SSE connections (for tests and metrics). */
  get size(): number {
    return this.#connections.size;
  }

  /** Ends every connection and disarms the timer. */
  closeAll(): void {
    for (const c of [...this.#connections]) c.end();
    this.stop();
  }

  /** Disarms the interval. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
