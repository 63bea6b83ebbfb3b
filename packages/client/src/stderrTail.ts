/** Lines kept per server, and characters kept per line. */
const MAX_LINES = 20;
const MAX_LINE_CHARS = 500;

/**
 * The last lines a stdio server wrote to its stderr, bounded: what explains
 * a server that exits while connecting ("Cannot find module …"), quoted in
 * its failure reason.
 */
export class StderrTail {
  readonly #lines: string[] = [];

  /** Keeps one line (cut to 500 characters), dropping the oldest past 20. */
  push(line: string): void {
    this.#lines.push(line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line);
    if (this.#lines.length > MAX_LINES) this.#lines.shift();
  }

  /** The last `count` non-empty lines, oldest first. */
  last(count: number): string[] {
    return this.#lines.filter((line) => line.trim() !== '').slice(-count);
  }

  /** Forgets every line: a new process of the same server starts afresh. */
  clear(): void {
    this.#lines.length = 0;
  }
}
