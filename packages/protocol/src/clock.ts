/** Opaque handle of a timer armed through a {@link Clock}. */
export type TimerHandle = unknown;

/**
 * Time as the core sees it. Every timeout of the engine and the roles goes
 * through this, so tests drive time by hand with a fake clock.
 */
export interface Clock {
  /** Milliseconds since an arbitrary origin; only differences are used. */
  now(): number;
  /** Arms a one-shot timer; the core always clears what it arms. */
  setTimeout(callback: () => void, ms: number): TimerHandle;
  /** Disarms a timer; clearing an already fired timer is harmless. */
  clearTimeout(handle: TimerHandle): void;
}

/** The default clock: the host's timers and `Date.now()`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
};
