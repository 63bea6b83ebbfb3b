import type { ReconnectPolicy } from './reconnectPolicy.js';

/** A timer armed through {@link Timers}. */
export type Timer = ReturnType<typeof setTimeout>;

/** The timers of one transport: each piece arms its own, the transport clears them all on close. */
export class Timers {
  readonly #armed = new Set<Timer>();

  /** Runs `fn` once after `ms`, unless cleared first. */
  after(ms: number, fn: () => void): Timer {
    const timer = setTimeout(() => {
      this.#armed.delete(timer);
      fn();
    }, ms);
    this.#armed.add(timer);
    return timer;
  }

  /** Clears one timer. */
  clear(timer: Timer): void {
    clearTimeout(timer);
    this.#armed.delete(timer);
  }

  /** Clears every armed timer (closing). */
  clearAll(): void {
    for (const timer of this.#armed) clearTimeout(timer);
    this.#armed.clear();
  }
}

/**
 * The server's latest SSE `retry` value. One per transport, shared by every
 * stream: the server states it once for the client, not per stream
 * (2025-11-25 transports §sending messages, item 6).
 */
export class ServerRetry {
  /** Milliseconds the server asked for, or undefined when it sent no `retry`. */
  ms: number | undefined;
}

/**
 * What every piece of the Streamable HTTP client transport shares, handed to
 * each explicitly by the transport that owns it.
 */
export interface HttpClientContext {
  /** The MCP endpoint. */
  readonly url: URL;
  /** The transport's fetch, bound to its receiver. */
  readonly fetch: typeof globalThis.fetch;
  /** How broken streams are resumed or re-issued. */
  readonly policy: ReconnectPolicy;
  /** Largest SSE event accepted. */
  readonly maxMessage: number;
  /** Aborted when the transport closes: nothing starts after it, and pieces stop at their next step. */
  readonly lifetime: AbortSignal;
  /** The server's `retry`, shared by every stream. */
  readonly serverRetry: ServerRetry;
  /** Timers the transport clears on close. */
  readonly timers: Timers;
  /** The caller's extra headers, read per HTTP request (a token may have been refreshed). */
  baseHeaders(): Record<string, string>;
  /** A fault that did not close the transport, for the engine's `onError`. */
  report(message: string, cause?: unknown): void;
}

/** The `Accept` of every POST (both reply types, as the spec requires). */
export const JSON_AND_SSE = 'application/json, text/event-stream';

/** Releases a reply body nobody reads, so the connection is freed. */
export function discard(response: Response): Promise<void> {
  return response.body?.cancel().catch(() => {}) ?? Promise.resolve();
}

/** The message of anything thrown. */
export function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
