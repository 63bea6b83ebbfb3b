import type { Clock } from '../../src/clock.js';

/** A clock that only moves when the test says so. */
export interface FakeClock extends Clock {
  /** Moves time forward, firing due timers in order and letting promises settle after each. */
  advance(ms: number): Promise<void>;
  /** Timers armed and not yet fired or cleared. */
  readonly pendingTimers: number;
}

/** Lets every queued promise reaction run (microtasks drain before a macrotask). */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function createFakeClock(start = 0): FakeClock {
  let now = start;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void; seq: number }>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const handle = ++seq;
      timers.set(handle, { at: now + Math.max(0, ms), fn, seq: handle });
      return handle;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    get pendingTimers() {
      return timers.size;
    },
    async advance(ms) {
      const target = now + ms;
      await flush();
      for (;;) {
        let next: [number, { at: number; fn: () => void; seq: number }] | undefined;
        for (const entry of timers) {
          if (entry[1].at <= target && (!next || entry[1].at < next[1].at || (entry[1].at === next[1].at && entry[1].seq < next[1].seq))) next = entry;
        }
        if (!next) break;
        timers.delete(next[0]);
        now = next[1].at;
        next[1].fn();
        await flush();
      }
      now = target;
      await flush();
    },
  };
}

/**
 * Resolves or rejects as `promise` does, letting `clock` fire what is due at
 * the current time (zero-delay timers, such as the one a modern input round
 * answers on) turn after turn while it is pending. Time itself does not move;
 * each turn yields to the event loop, so real asynchronous work (Web Crypto)
 * completes too. Rejects if still pending after `timeoutMs` of real time.
 */
export async function settleOn<T>(clock: FakeClock, promise: Promise<T>, timeoutMs = 5000): Promise<T> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  const deadline = Date.now() + timeoutMs;
  while (!settled) {
    if (Date.now() > deadline) throw new Error(`still pending after ${timeoutMs} ms with the fake clock firing what is due`);
    await clock.advance(0);
  }
  return promise;
}
