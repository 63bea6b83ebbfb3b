/** How an HTTP client transport reconnects a broken stream. */
export interface ReconnectOptions {
  /** First delay before reconnecting when the server sent no `retry`. @default 1000 */
  readonly initialDelayMs?: number;
  /** Largest delay between attempts. @default 30_000 */
  readonly maxDelayMs?: number;
  /** Attempts in a row without a new event before the transport gives up on a stream. @default 5 */
  readonly maxRetries?: number;
}

/** {@link ReconnectOptions} with defaults applied. */
export interface ReconnectPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRetries: number;
}

/** Applies the defaults. */
export function reconnectPolicy(options: ReconnectOptions = {}): ReconnectPolicy {
  return {
    initialDelayMs: options.initialDelayMs ?? 1000,
    maxDelayMs: options.maxDelayMs ?? 30_000,
    maxRetries: options.maxRetries ?? 5,
  };
}

/**
 * Delay before attempt `attempt` (0 for the first reconnect after a stream
 * that made progress): exponential from the server's `retry` when it sent
 * one — the client must wait at least that long (2025-11-25 transports
 * §sending messages, item 6) — else from `initialDelayMs`, capped by
 * `maxDelayMs` but never below the server's `retry`.
 */
export function reconnectDelay(policy: ReconnectPolicy, attempt: number, serverRetryMs: number | undefined): number {
  const base = serverRetryMs ?? policy.initialDelayMs;
  const grown = Math.min(policy.maxDelayMs, base * 2 ** Math.max(0, attempt));
  // A Node timer longer than 2^31 − 1 ms fires after 1 ms: a server's huge `retry` must not mean "at once".
  return Math.min(2 ** 31 - 1, Math.max(grown, serverRetryMs ?? 0));
}
