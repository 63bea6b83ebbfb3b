/** The turn every caller of {@link nextTurn} in this one is waiting for. */
let pending: Promise<void> | undefined;

// Node and Bun have setImmediate; browsers and Workers fall back to a timer.
const immediate = (globalThis as { setImmediate?: (run: () => void) => unknown }).setImmediate;
const schedule: (run: () => void) => void = typeof immediate === 'function' ? (run) => void immediate(run) : (run) => void setTimeout(run, 0);

/**
 * Settles on the next turn of the event loop, one timer shared by every
 * caller of this turn. A transport returns it from a queued send when its
 * peer is behind (PROTOCOL.md §slow-consumers): a loop of awaited broadcasts
 * then lets sockets flush between messages, so healthy peers drain while a
 * stalled one only grows towards its bound, and nobody waits for the stalled
 * one's drain.
 */
export function nextTurn(): Promise<void> {
  return (pending ??= new Promise<void>((resolve) =>
    schedule(() => {
      pending = undefined;
      resolve();
    }),
  ));
}
