import { setTimeout as wait } from 'node:timers/promises';

/**
 * Waits `ms` milliseconds, or rejects at once when `signal` aborts (the
 * client cancelled the tool call or went away), so no timer outlives the
 * request it belongs to. A zero or negative `ms` resolves without a timer.
 */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  if (ms <= 0) return;
  await wait(ms, undefined, { signal });
}
