import { nextTurn, TransportError } from '@tidings/protocol';
import { SSE_KEEPALIVE } from '@tidings/protocol/http';
import type { SseBody } from './types.js';

/** Headers of every SSE response (2026-07-28 streamable-http §receiving: `X-Accel-Buffering: no`, or proxies hold events back). */
export const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
});

/**
 * How far one SSE stream may fall behind its client (PROTOCOL.md
 * §slow-consumers): past either bound the stream is cut off; a legacy
 * client resumes from the event store with `Last-Event-ID`, a listen stream
 * ends so the client listens again, a request stream ends.
 */
export interface SseLimits {
  /** Bytes waiting for the client to take them. */
  readonly maxQueuedBytes: number;
  /** Messages waiting for the client to take them. */
  readonly maxQueuedMessages: number;
}

/** The defaults of {@link SseLimits}: 8 MiB, 10,000 messages. */
export const DEFAULT_SSE_LIMITS: SseLimits = Object.freeze({ maxQueuedBytes: 8 * 1024 * 1024, maxQueuedMessages: 10_000 });

/** Waiting below this many bytes, a write resolves at once (the client keeps up). */
const HIGH_WATER_BYTES = 64 * 1024;

/** A client cut off by the slow-consumer policy. */
export class SlowConsumerError extends TransportError {
  constructor(messages: number, bytes: number, limits: SseLimits) {
    super(
      `the client reads too slowly: ${messages} messages (${bytes} bytes) were waiting, over the limit of ` +
        `${limits.maxQueuedMessages} messages or ${limits.maxQueuedBytes} bytes, so its stream was cut off`,
    );
  }
}

type State =
  | { readonly kind: 'open' }
  /** No more writes; done once the client took what is queued. */
  | { readonly kind: 'ending' }
  /** Cut off: the client's next pull fails, so its binding aborts the connection. */
  | { readonly kind: 'cut'; readonly error: Error }
  /** Over: the client took everything, or went away. */
  | { readonly kind: 'done' };

const DONE: IteratorResult<string> = Object.freeze({ done: true, value: undefined });
// Shared: the states without data cost nothing per stream.
const OPEN: State = Object.freeze({ kind: 'open' });
const ENDING: State = Object.freeze({ kind: 'ending' });
const FINISHED: State = Object.freeze({ kind: 'done' });
const RESOLVED = Promise.resolve();

/**
 * One SSE response body: a bounded queue the core writes to and the binding
 * pulls from as fast as its client takes the bytes. A pull takes everything
 * queued at once, so a burst is one socket write.
 */
export class SseStream implements SseBody {
  readonly #hub: KeepAliveHub;
  #state: State = OPEN;
  #chunks: string[] = [];
  #bytes = 0;
  #pull: { resolve(result: IteratorResult<string>): void; reject(error: Error): void } | undefined;
  /** Writers waiting for the queue to fall under the high-water mark. */
  #space: { promise: Promise<void>; resolve(): void } | undefined;
  #onClose: Array<() => void> | undefined; // most streams never get a close listener
  #onCut: ((error: Error) => void) | undefined;
  /** The last pull, until the binding pulls again (then its client accepted it). */
  #takenBytes = 0;
  #takenMessages = 0;
  #cutError: Error | undefined;

  constructor(hub: KeepAliveHub) {
    this.#hub = hub;
    hub.add(this);
  }

  /** Whether writes are over (ended, cut off, or the client left). */
  get closed(): boolean {
    return this.#state.kind !== 'open';
  }

  /** Why the stream was cut off, if it was. */
  get error(): Error | undefined {
    return this.#cutError;
  }

  onCut(listener: (error: Error) => void): void {
    if (this.#cutError) listener(this.#cutError);
    else this.#onCut = listener;
  }

  /** Calls `listener` once when writes are over. */
  onClose(listener: () => void): void {
    if (this.closed) listener();
    else (this.#onClose ??= []).push(listener);
  }

  /**
   * Queues raw SSE text; rejects when the stream is closed. Resolves at once
   * while the client keeps up or when `queued` (a server-initiated message
   * never waits for one reader), else once the client took enough. Past the
   * hub's {@link SseLimits} the stream is cut off and the write rejects with
   * a {@link SlowConsumerError}.
   */
  write(chunk: string, queued = false): Promise<void> {
    if (this.#state.kind !== 'open') return Promise.reject(new TransportError('the SSE stream is closed'));
    this.#chunks.push(chunk);
    // UTF-16 units, not UTF-8 bytes: the same for JSON's ASCII, within 3× otherwise, and free to count.
    this.#bytes += chunk.length;
    if (this.#pull) {
      const pull = this.#pull;
      this.#pull = undefined;
      pull.resolve({ done: false, value: this.#take() });
      return RESOLVED;
    }
    // What the binding took but its client has not yet accepted counts too (it is still in memory).
    const bytes = this.#bytes + this.#takenBytes;
    const messages = this.#chunks.length + this.#takenMessages;
    const { limits } = this.#hub;
    if (bytes > limits.maxQueuedBytes || messages > limits.maxQueuedMessages) {
      const error = new SlowConsumerError(messages, bytes, limits);
      this.cut(error);
      return Promise.reject(error);
    }
    if (this.#bytes <= HIGH_WATER_BYTES) return RESOLVED;
    if (queued) return nextTurn();
    if (!this.#space) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.#space = { promise, resolve };
    }
    return this.#space.promise;
  }

  /** A keep-alive comment, unless data is waiting anyway. */
  keepAlive(comment: string): void {
    if (this.#state.kind === 'open' && this.#chunks.length === 0) void this.write(comment);
  }

  /** Ends the stream once the client took what is queued. */
  end(): void {
    if (this.#state.kind !== 'open') return;
    this.#state = ENDING;
    this.#closeWrites();
    if (this.#pull && this.#chunks.length === 0) this.#settle();
  }

  /** Cuts the stream off: what is queued is dropped and the client's connection is aborted. */
  cut(error: Error): void {
    if (this.#state.kind === 'done' || this.#state.kind === 'cut') return;
    this.#state = { kind: 'cut', error };
    this.#cutError = error;
    this.#chunks = [];
    this.#bytes = 0;
    const onCut = this.#onCut;
    this.#onCut = undefined;
    onCut?.(error);
    this.#closeWrites();
    this.#settle();
  }

  /** Shutdown: ends the stream, or cuts it off when its client is behind (it would never take the rest). */
  stop(): void {
    if (this.#bytes > HIGH_WATER_BYTES) this.cut(new TransportError('the server closed the stream while its client was behind'));
    else this.end();
  }

  // ── SseBody: the binding's side ─────────────────────────────────────────

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<string>> {
    this.#takenBytes = 0;
    this.#takenMessages = 0;
    if (this.#chunks.length > 0) return Promise.resolve({ done: false, value: this.#take() });
    const state = this.#state;
    if (state.kind === 'cut') {
      this.#state = FINISHED;
      return Promise.reject(state.error);
    }
    if (state.kind !== 'open') {
      this.#state = FINISHED;
      return Promise.resolve(DONE);
    }
    return new Promise((resolve, reject) => (this.#pull = { resolve, reject }));
  }

  /** The client went away. */
  return(): Promise<IteratorResult<string>> {
    this.#chunks = [];
    this.#bytes = 0;
    this.#state = FINISHED;
    this.#closeWrites();
    this.#settle();
    return Promise.resolve(DONE);
  }

  #take(): string {
    const value = this.#chunks.length === 1 ? this.#chunks[0]! : this.#chunks.join('');
    this.#takenBytes = this.#bytes;
    this.#takenMessages = this.#chunks.length;
    this.#chunks = [];
    this.#bytes = 0;
    const space = this.#space;
    this.#space = undefined;
    space?.resolve();
    return value;
  }

  /** Settles a waiting pull with the end state. */
  #settle(): void {
    const pull = this.#pull;
    if (!pull) return;
    this.#pull = undefined;
    const state = this.#state;
    this.#state = FINISHED;
    if (state.kind === 'cut') pull.reject(state.error);
    else pull.resolve(DONE);
  }

  /** Writes are over: release waiting writers (their messages are dropped or already queued) and tell listeners. */
  #closeWrites(): void {
    this.#hub.delete(this);
    const space = this.#space;
    this.#space = undefined;
    space?.resolve();
    const listeners = this.#onClose;
    this.#onClose = undefined;
    for (const listener of listeners ?? []) listener();
  }
}

/**
 * What every open SSE stream of a handler shares: `:` keep-alive comments
 * from one interval (2026-07-28 streamable-http §receiving, long-lived
 * streams), armed only while a stream is open, and the slow-consumer bounds.
 */
export class KeepAliveHub {
  /** How far each stream may fall behind. */
  readonly limits: SseLimits;
  readonly #streams = new Set<SseStream>();
  readonly #intervalMs: number;
  readonly #comment: string;
  #timer: ReturnType<typeof setInterval> | undefined;

  /** `intervalMs` of 0 (or Infinity) sends no keep-alives; `comment` is the SSE comment sent. */
  constructor(intervalMs: number, limits: SseLimits = DEFAULT_SSE_LIMITS, comment = SSE_KEEPALIVE) {
    this.#intervalMs = intervalMs;
    this.limits = limits;
    this.#comment = comment;
  }

  /** Starts keeping `stream` alive (arms the interval for the first one). */
  add(stream: SseStream): void {
    this.#streams.add(stream);
    if (this.#timer === undefined && this.#intervalMs > 0 && Number.isFinite(this.#intervalMs)) {
      this.#timer = setInterval(() => {
        for (const s of this.#streams) s.keepAlive(this.#comment);
      }, this.#intervalMs);
      // A keep-alive alone must not hold a process open (Node, Bun, Deno have unref; browsers do not need it).
      (this.#timer as { unref?: () => void }).unref?.();
    }
  }

  /** Stops keeping `stream` alive (disarms the interval after the last one). */
  delete(stream: SseStream): void {
    this.#streams.delete(stream);
    if (this.#streams.size === 0) this.stop();
  }

  /** Open SSE streams (for tests and metrics). */
  get size(): number {
    return this.#streams.size;
  }

  /** Ends every stream (shutdown) and disarms the timer. */
  closeAll(): void {
    for (const s of [...this.#streams]) s.stop();
    this.stop();
  }

  /** Disarms the interval. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
