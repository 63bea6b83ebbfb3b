import { describe, expect, it } from 'vitest';
import { DISCARD_FACTOR, readBoundedBody, type BodyBytes } from '../src/server/requestBody.js';

/** A body of `sizes` chunks (then the end, or a failure), counting what was read and whether reading was cancelled. */
function bytesOf(sizes: readonly number[], fail = false): BodyBytes & { read: number; cancelled: boolean; drained: Promise<void> } {
  let next = 0;
  let drained!: () => void;
  const source = {
    read: 0,
    cancelled: false,
    drained: new Promise<void>((resolve) => (drained = resolve)),
    next: async () => {
      if (next === sizes.length) {
        drained();
        if (fail) throw new Error('the client went away');
        return { done: true };
      }
      const value = new Uint8Array(sizes[next++]!).fill(0x61);
      source.read += value.length;
      return { done: false, value };
    },
    cancel: () => {
      source.cancelled = true;
      drained();
    },
  };
  return source;
}

describe('the bounded body reader every binding uses (no socket)', () => {
  it('reads a body within the limit as text', async () => {
    expect(await readBoundedBody(bytesOf([3, 2]), NaN, 5)).toEqual({ kind: 'text', text: 'aaaaa' });
  });

  it('stops collecting past the limit, drains the rest up to the bound, then cancels', async () => {
    const bytes = bytesOf([4, 4, 4, 4, 4, 4, 4, 4]);
    expect(await readBoundedBody(bytes, NaN, 5)).toEqual({ kind: 'too-large', discarding: true });
    await bytes.drained;
    expect(bytes.cancelled).toBe(true);
    expect(bytes.read).toBeLessThanOrEqual(DISCARD_FACTOR * 5 + 4);
  });

  it('drains a body declared over the limit without collecting it, to its end when within the bound', async () => {
    const bytes = bytesOf([6, 6]);
    expect(await readBoundedBody(bytes, 12, 5)).toEqual({ kind: 'too-large', discarding: true });
    await bytes.drained;
    expect(bytes.cancelled).toBe(false);
    expect(bytes.read).toBe(12);
  });

  it('does not touch a body declared past the bound (the reply closes the connection)', async () => {
    const bytes = bytesOf([100]);
    expect(await readBoundedBody(bytes, DISCARD_FACTOR * 5 + 1, 5)).toEqual({ kind: 'too-large', discarding: false });
    expect(bytes.read).toBe(0);
    expect(bytes.cancelled).toBe(false);
  });

  it('answers aborted when the body breaks mid-way', async () => {
    expect(await readBoundedBody(bytesOf([2], true), NaN, 5)).toEqual({ kind: 'aborted' });
  });
});
