/** Counts progress callbacks and notices any that arrive out of order. */
export class ProgressCounter {
  count = 0;
  outOfOrder = 0;
  #last = 0;

  /** Called from the client's progress callback with the progress value (1..n). */
  readonly on = (progress: number): void => {
    this.count++;
    if (progress !== this.#last + 1) this.outOfOrder++;
    this.#last = progress;
  };

  reset(): void {
    this.count = 0;
    this.outOfOrder = 0;
    this.#last = 0;
  }
}
