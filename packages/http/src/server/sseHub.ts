import { TransportError } from '@tidings/protocol';
import { SSE_KEEPALIVE } from '@tidings/protocol/http';
import type { SseStream } from './sseStream.js';

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
