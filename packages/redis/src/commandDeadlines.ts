interface Pending {
  /** Date.now() when the command was sent. */
  readonly at: number;
  readonly reject: (error: Error) => void;
}

/**
 * Bounds how long a caller waits for Redis's answer. A Redis that stalls
 * (paused, swapping, a network path that drops packets without closing the
 * TCP connection) answers nothing and closes nothing, and node-redis then
 * waits without end; the connection is only noticed as dead much later by
 * TCP keep-alive. One timer per connection, armed for the oldest command in
 * flight, instead of one per command: the publish path stays cheap.
 */
export class CommandDeadlines {
  readonly #timeoutMs: number;
  readonly #onOverdue: (error: Error) => void;
  /** In flight, oldest first (a Set keeps insertion order). */
  readonly #pending = new Set<Pending>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  /** Resolved once nothing is in flight; for a close that lets the last commands finish. */
  #drained: Array<() => void> = [];

  /** `onOverdue` hears once per expiry that Redis did not answer in time. */
  constructor(timeoutMs: number, onOverdue: (error: Error) => void) {
    this.#timeoutMs = timeoutMs;
    this.#onOverdue = onOverdue;
  }

  /** Settles like `command`, or rejects once it has waited `timeoutMs` for Redis. */
  track<T>(command: Promise<T>, what: string): Promise<T> {
    if (this.#closed) return Promise.reject(new Error(`the Redis connection is closed: cannot ${what}`));
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = {
        at: Date.now(),
        reject: (error) => reject(new Error(`Redis did not answer: cannot ${what} (${error.message})`)),
      };
      this.#pending.add(entry);
      if (this.#timer === undefined) this.#arm(this.#timeoutMs);
      command.then(
        (value) => {
          this.#settle(entry);
          resolve(value);
        },
        (error: unknown) => {
          this.#settle(entry);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /**
   * Resolves once no command is in flight: at the latest when the oldest one
   * reaches its deadline, so a close never waits on a Redis that stalled.
   */
  drained(): Promise<void> {
    if (this.#pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }

  /** Rejects every command still waiting and disarms the timer; later `track` calls reject. */
  close(): void {
    this.#closed = true;
    this.#clear();
    const left = [...this.#pending];
    this.#pending.clear();
    for (const entry of left) entry.reject(new Error('the connection was closed'));
    this.#wake();
  }

  #settle(entry: Pending): void {
    this.#pending.delete(entry);
    if (this.#pending.size === 0) this.#wake();
  }

  #wake(): void {
    if (this.#drained.length === 0) return;
    for (const resolve of this.#drained.splice(0)) resolve();
  }

  #arm(delayMs: number): void {
    this.#timer = setTimeout(() => this.#expire(), Math.max(1, delayMs));
  }

  #clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #expire(): void {
    this.#timer = undefined;
    const now = Date.now();
    let overdue = 0;
    for (const entry of this.#pending) {
      if (now - entry.at < this.#timeoutMs) break;
      this.#pending.delete(entry);
      entry.reject(new Error(`no reply within ${this.#timeoutMs} ms`));
      overdue++;
    }
    if (this.#pending.size === 0) this.#wake();
    if (overdue > 0) this.#onOverdue(new Error(`Redis did not answer ${overdue} command(s) within ${this.#timeoutMs} ms`));
    const oldest = this.#pending.values().next();
    if (!oldest.done) this.#arm(oldest.value.at + this.#timeoutMs - now);
  }
}
