/** Options of {@link createLineReader}. */
export interface LineReaderOptions {
  /**
   * Longest line accepted, in bytes, without its `\n` or `\r\n`. Longer lines
   * are dropped while they stream in: the reader never holds more than this
   * (plus one byte for a possible `\r`).
   */
  readonly maxLineBytes: number;
  /** Receives each complete, non-empty line, decoded as UTF-8, without its terminator. */
  readonly onLine: (line: string) => void;
  /**
   * Called once for each line that passed `maxLineBytes`, as soon as it did
   * (not when its newline arrives, so a line that never ends is still reported).
   */
  readonly onOversize: (maxLineBytes: number) => void;
}

/** Splits a byte stream into lines (DESIGN §3: one JSON message per line). */
export interface LineReader {
  /** Feeds the next chunk; complete lines are handed to `onLine` before this returns. */
  push(chunk: Uint8Array | string): void;
  /** The input ended: a last line without a terminator is still delivered. */
  end(): void;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Creates a line reader. Lines are split on bytes and each line is decoded
 * once it is complete: `\n` (0x0A) never occurs inside a multi-byte UTF-8
 * sequence, so a character split across two chunks is reassembled before it
 * is decoded, with no streaming decoder state to carry. The size limit is
 * therefore exact in bytes.
 */
export function createLineReader(options: LineReaderOptions): LineReader {
  const { maxLineBytes, onLine, onOversize } = options;
  // A line of exactly maxLineBytes may be followed by `\r` before its `\n`.
  const maxHeld = maxLineBytes + 1;
  let parts: Buffer[] = [];
  let held = 0;
  let discarding = false;

  const deliver = (line: Buffer): void => {
    const length = line.length > 0 && line[line.length - 1] === CR ? line.length - 1 : line.length;
    if (length > maxLineBytes) {
      onOversize(maxLineBytes);
      return;
    }
    // Blank lines carry no message; skipping them keeps a stray `\r\n\r\n` harmless.
    if (length > 0) onLine(line.toString('utf8', 0, length));
  };

  const take = (last: Buffer): Buffer => {
    const line = parts.length === 0 ? last : Buffer.concat([...parts, last], held + last.length);
    parts = [];
    held = 0;
    return line;
  };

  return {
    push(chunk) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      let start = 0;
      while (start < bytes.length) {
        const newline = bytes.indexOf(LF, start);
        const end = newline === -1 ? bytes.length : newline;
        if (discarding) {
          if (newline !== -1) discarding = false;
        } else if (held + (end - start) > maxHeld) {
          parts = [];
          held = 0;
          discarding = newline === -1;
          onOversize(maxLineBytes);
        } else if (newline === -1) {
          parts.push(bytes.subarray(start, end));
          held += end - start;
        } else {
          deliver(take(bytes.subarray(start, end)));
        }
        if (newline === -1) break;
        start = newline + 1;
      }
    },
    end() {
      if (!discarding && held > 0) deliver(take(Buffer.alloc(0)));
      parts = [];
      held = 0;
      discarding = false;
    },
  };
}
