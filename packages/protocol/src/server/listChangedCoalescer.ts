import type { Clock, TimerHandle } from '../clock.js';

/** The three change notifications that are merged. */
export type ListKind = 'tools' | 'resources' | 'prompts';

interface Window {
  readonly timer: TimerHandle;
  readonly done: Promise<number>;
  readonly resolve: (reached: number) => void;
}

/**
 * Merges list changes (PROTOCOL.md §list-changed): the first change of a kind
 * opens a window; every change inside it rides on one notification sent when
 * the window closes, so the last change is always delivered and a burst costs
 * each recipient one message (the SDK's #842 flood).
 */
export class ListChangedCoalescer {
  readonly #windows = new Map<ListKind, Window>();
  readonly #clock: Clock;
  readonly #windowMs: number;
  readonly #flush: (kind: ListKind) => Promise<number>;

  constructor(clock: Clock, windowMs: number, flush: (kind: ListKind) => Promise<number>) {
    this.#clock = clock;
    this.#windowMs = windowMs;
    this.#flush = flush;
  }

  /** Records a change; resolves to the number of recipients the merged notification reached. */
  changed(kind: ListKind): Promise<number> {
    const open = this.#windows.get(kind);
    if (open) return open.done;
    let resolve!: (reached: number) => void;
    const done = new Promise<number>((r) => (resolve = r));
    const timer = this.#clock.setTimeout(() => {
      this.#windows.delete(kind);
      this.#flush(kind).then(resolve, () => resolve(0));
    }, this.#windowMs);
    this.#windows.set(kind, { timer, done, resolve });
    return done;
  }

  /** Drops pending windows (server shutdown); their promises resolve to 0. */
  close(): void {
    for (const window of this.#windows.values()) {
      this.#clock.clearTimeout(window.timer);
      window.resolve(0);
    }
    this.#windows.clear();
  }
}
