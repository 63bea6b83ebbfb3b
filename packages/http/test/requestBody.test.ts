import { describe, expect, it } from 'vitest';
import { DISCARD_FACTOR, readBoundedBody, type BodyListener, type BodySource } from '../src/server/requestBody.js';

/** A body of `sizes` chunks, then its end (or a failure), told one per macrotask (as sockets do); it counts what was read and whether it was cancelled or stopped. */
function sourceOf(sizes: readonly number[], fail = false): BodySource & { read: (listener: BodyListener) => () => void; bytes: number; cancelled: boolean; stopped: boolean; over: Promise<void> } {
  let finished!: () => void;
  const source = {
    bytes: 0,
    cancelled: false,
    stopped: false,
    over: new Promise<void>((resolve) => (finished = resolve)),
    read(listener: BodyListener) {
      void (async () => {
        for (const size of sizes) {
          await new Promise((resolve) => setTimeout(resolve));
          if (source.stopped) return finished();
          source.bytes += size;
          listener.chunk(new Uint8Array(size).fill(0x61));
        }
        await new Promise((resolve) => setTimeout(resolve));
        if (!source.stopped) fail ? listener.fail() : listener.end();
        finished();
      })();
      return () => void (source.stopped = true);
    },
    cancel: () => void (source.cancelled = true),
  };
  return source;
}

describe('the bounded body reader every binding uses (no socket)', () => {
  it('reads a body within the limit as text, and stops listening at its end', async () => {
    const source = sourceOf([3, 2]);
    expect(await readBoundedBody(source, NaN, 5)).toEqual({ kind: 'text', text: 'aaaaa' });
    expect(source.stopped).toBe(true);
  });

  it('answers at once past the limit, drains the rest up to the bound, then cancels', async () => {
    const source = sourceOf([4, 4, 4, 4, 4, 4, 4, 4]);
    expect(await readBoundedBody(source, NaN, 5)).toEqual({ kind: 'too-large', discarding: true });
    expect(source.bytes).toBe(8);
    await source.over;
    expect(source.cancelled).toBe(true);
    expect(source.bytes).toBe(24);
    expect(source.bytes).toBeGreaterThan(DISCARD_FACTOR * 5);
  });

  it('answers a body declared over the limit before reading it, and drains it to its end within the bound', async () => {
    const source = sourceOf([6, 6]);
    expect(await readBoundedBody(source, 12, 5)).toEqual({ kind: 'too-large', discarding: true });
    expect(source.bytes).toBe(0);
    await source.over;
    expect(source.cancelled).toBe(false);
    expect(source.bytes).toBe(12);
  });

  it('does not touch a body declared past the bound (the reply closes the connection)', async () => {
    const source = sourceOf([100]);
    expect(await readBoundedBody(source, DISCARD_FACTOR * 5 + 1, 5)).toEqual({ kind: 'too-large', discarding: false });
    expect(source.bytes).toBe(0);
    expect(source.stopped).toBe(false);
  });

  it('answers aborted when the body breaks mid-way', async () => {
    const source = sourceOf([2], true);
    expect(await readBoundedBody(source, NaN, 5)).toEqual({ kind: 'aborted' });
    expect(source.stopped).toBe(true);
  });
});
