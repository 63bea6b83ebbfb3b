import { nextTurn, TransportError } from '@tidings/protocol';
import type { SseBody, SseReader } from './types.js';
import { SlowConsumerError, type KeepAliveHub } from './sseHub.js';

/** Headers of every SSE response (2026-07-28 streamable-http §receiving: `X-Accel-Buffering: no`, or proxies hold events back). */
export const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
});

/** Waiting below this many bytes, a write resolves at once (the client keeps up). */
const HIGH_WATER_BYTES = 64 * 1024;

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
 * The owner of an {@link SseStream}, told when its writes are over: an object
 * it already has, not a closure per stream (an idle stream's bytes count,
 * PROTOCOL.md §performance).
 */
export interface SseCloseListener {
  /** Writes to `stream` are over (ended, cut off, or its client left); called once. */
  sseClosed(stream: SseStream): void;
}

/**
 * One SSE response body: a bounded queue the core writes to and the binding
 * reads from as fast as its client takes the bytes. A read takes everything
 * queued at once, so a burst is one socket write; a write while the binding
 * waits is handed to it at the end of the turn, with the rest of the burst.
 */
export class SseStream implements SseBody {
  readonly #hub: KeepAliveHub;
  #state: State = OPEN;
  #chunks: string[] | undefined; // made by the first write: an idle stream has none
  #bytes = 0;
  /** The binding's reader: set by its last read until it reads again or the stream is over (a cut-off reaches it meanwhile). */
  #reader: SseReader | undefined;
  /** Whether `#reader` waits for text (else it is writing the last chunk to its client). */
  #reading = false;
  /** Writers waiting for the queue to fall under the high-water mark. */
  #space: { promise: Promise<void>; resolve(): void } | undefined;
  #onClose: SseCloseListener | undefined;
  /** The last chunk read, until the binding reads again (then its client accepted it). */
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

  /** Sets the one listener (the stream's owner) told once when writes are over; at once when they are. */
  onClose(listener: SseCloseListener): void {
    if (this.closed) listener.sseClosed(this);
    else this.#onClose = listener;
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
    const chunks = (this.#chunks ??= []);
    chunks.push(chunk);
    // UTF-16 units, not UTF-8 bytes: the same for JSON's ASCII, within 3× otherwise, and free to count.
    this.#bytes += chunk.length;
    if (this.#reading) {
      // Handed over at the end of this turn with whatever else it writes: a burst is one read, so
      // one socket write, and no promise waits meanwhile (PROTOCOL.md §performance).
      this.#reading = false;
      queueMicrotask(() => this.#handOver());
      return RESOLVED;
    }
    // What the binding took but its client has not yet accepted counts too (it is still in memory).
    const bytes = this.#bytes + this.#takenBytes;
    const messages = chunks.length + this.#takenMessages;
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
    if (this.#state.kind === 'open' && !this.#chunks?.length) void this.write(comment);
  }

  /** Ends the stream once the client took what is queued. */
  end(): void {
    if (this.#state.kind !== 'open') return;
    this.#state = ENDING;
    this.#closeWrites();
    if (this.#reading && !this.#chunks?.length) this.#settle();
  }

  /** Cuts the stream off: what is queued is dropped and the client's connection is aborted. */
  cut(error: Error): void {
    if (this.#state.kind === 'done' || this.#state.kind === 'cut') return;
    this.#state = { kind: 'cut', error };
    this.#cutError = error;
    this.#chunks = undefined;
    this.#bytes = 0;
    this.#closeWrites();
    // A binding waiting on its client's socket (not reading) hears of it too, so it aborts the connection at once.
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

  read(reader: SseReader): void {
    this.#takenBytes = 0;
    this.#takenMessages = 0;
    this.#reader = reader;
    if (this.#chunks?.length) return reader.chunk(this.#take());
    if (this.#state.kind === 'open') this.#reading = true;
    else this.#settle();
  }

  next(): Promise<IteratorResult<string>> {
    return new Promise((resolve, reject) => {
      // One read per promise: a cut-off after it reaches the caller's next pull, as a rejection.
      const reader: SseReader = {
        chunk: (value) => {
          if (this.#reader === reader) this.#reader = undefined;
          resolve({ done: false, value });
        },
        done: (error) => (error ? reject(error) : resolve(DONE)),
      };
      this.read(reader);
    });
  }

  /** The client went away. */
  return(): Promise<IteratorResult<string>> {
    this.#chunks = undefined;
    this.#bytes = 0;
    this.#state = FINISHED;
    this.#closeWrites();
    this.#settle();
    return Promise.resolve(DONE);
  }

  /** Gives the reader what this turn wrote, unless the stream was cut off or its client left meanwhile. */
  #handOver(): void {
    if (this.#reader && this.#chunks?.length) this.#reader.chunk(this.#take());
  }

  #take(): string {
    const chunks = this.#chunks!;
    const value = chunks.length === 1 ? chunks[0]! : chunks.join('');
    this.#takenBytes = this.#bytes;
    this.#takenMessages = chunks.length;
    this.#chunks = undefined;
    this.#bytes = 0;
    const space = this.#space;
    this.#space = undefined;
    space?.resolve();
    return value;
  }

  /** Tells the reader the stream is over, once: after what is queued (ended), or at once (cut off, or its client left). */
  #settle(): void {
    const reader = this.#reader;
    if (!reader || this.#state.kind === 'open') return;
    this.#reader = undefined;
    this.#reading = false;
    const state = this.#state;
    this.#state = FINISHED;
    reader.done(state.kind === 'cut' ? state.error : undefined);
  }

  /** Writes are over: release waiting writers (their messages are dropped or already queued) and tell listeners. */
  #closeWrites(): void {
    this.#hub.delete(this);
    const space = this.#space;
    this.#space = undefined;
    space?.resolve();
    const listener = this.#onClose;
    this.#onClose = undefined;
    listener?.sseClosed(this);
  }
}
