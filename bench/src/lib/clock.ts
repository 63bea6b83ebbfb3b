/**
 * Milliseconds on the system's monotonic clock (`process.hrtime`, CLOCK_MONOTONIC on
 * Linux), which every process of the machine reads alike: a stdio server in a child
 * and its client compare times without an offset, as `performance.now()` could not.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
