/**
 * A named collection that reports every change, so the server can emit the
 * matching list_changed. Iteration order is registration order, which keeps
 * `tools/list` deterministic (2026-07-28 changelog, minor change 3).
 */
export class Registry<T> {
  readonly #items = new Map<string, T>();
  readonly #onChange: () => void;

  constructor(onChange: () => void) {
    this.#onChange = onChange;
  }

  /** Adds or replaces an entry; returns the function that removes it. */
  set(key: string, item: T): () => void {
    this.#items.set(key, item);
    this.#onChange();
    return () => {
      if (this.#items.get(key) === item) this.delete(key);
    };
  }

  /** Removes an entry; returns whether it existed. */
  delete(key: string): boolean {
    const existed = this.#items.delete(key);
    if (existed) this.#onChange();
    return existed;
  }

  get(key: string): T | undefined {
    return this.#items.get(key);
  }

  get size(): number {
    return this.#items.size;
  }

  values(): IterableIterator<T> {
    return this.#items.values();
  }
}
