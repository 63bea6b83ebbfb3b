/**
 * Notices a connection on which Redis stopped answering. A Redis that stalls
 * (paused, swapping, a network path that drops packets without closing the
 * TCP connection) answers nothing and closes nothing, and node-redis then
 * waits without end; TCP keep-alive would notice only minutes later.
 *
 * Redis answers a connection's commands in order, so one question is
 * enough: while commands are in flight, did any answer come during the last
 * `timeoutMs`? If not, the connection is stalled and its owner resets it,
 * which fails every command on it. Cheap enough for the publish path: per
 * command a counter and one `then` with shared callbacks, and one timer per
 * connection, armed only while commands are in flight. A stalled command
 * fails between `timeoutMs` and twice that after it was sent.
 */
export class StallWatch {
  readonly #timeoutMs: number;
  readonly #onStall: () => void;
  #inFlight = 0;
  #answers = 0;
  #answersAtArm = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  /** Set when a stall reset the connection: what the failures that follow say. */
  #stalled: Error | undefined;
  /** Waiting for nothing to be in flight. */
  #drained: Array<() => void> = [];

  readonly #answered = <T>(value: T): T => {
    this.#settle();
    return value;
  };

  readonly #failed = (error: unknown): never => {
    this.#settle();
    throw this.#stalled ?? (error instanceof Error ? error : new Error(String(error)));
  };

  /** `onStall` resets the connection (which fails the commands on it). */
  constructor(timeoutMs: number, onStall: () => void) {
    this.#timeoutMs = Math.max(1, timeoutMs);
    this.#onStall = onStall;
  }

  /** Settles like `command`; counts it as in flight until then. */
  track<T>(command: Promise<T>): Promise<T> {
    this.#inFlight++;
    if (this.#timer === undefined && !this.#closed) this.#arm();
    return command.then(this.#answered, this.#failed);
  }

  /** A new connection is in use: failures are its own again. */
  connected(): void {
    this.#stalled = undefined;
  }

  /** Resolves once nothing is in flight: at the latest when a stall reset the connection. */
  drained(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }

  /** Disarms the timer for good. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #settle(): void {
    this.#inFlight--;
    this.#answers++;
    if (this.#inFlight === 0 && this.#drained.length > 0) for (const resolve of this.#drained.splice(0)) resolve();
  }

  #arm(): void {
    this.#answersAtArm = this.#answers;
    this.#timer = setTimeout(() => this.#check(), this.#timeoutMs);
  }

  #check(): void {
    this.#timer = undefined;
    if (this.#closed || this.#inFlight === 0) return;
    if (this.#answers === this.#answersAtArm) {
      this.#stalled = new Error(`Redis did not answer within ${this.#timeoutMs} ms; the connection was reset`);
      this.#onStall();
    }
    if (this.#inFlight > 0 && !this.#closed) this.#arm();
  }
}
