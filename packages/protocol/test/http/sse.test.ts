import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEventId, encodeEventId, encodeSseEvent, encodeSsePriming, encodeSseRetry, SSE_KEEPALIVE } from '../../src/http/sse.js';

describe('SSE encoding', () => {
  it('writes one data line per message, with an id when resumable', () => {
    expect(encodeSseEvent('{"a":1}')).toBe('data: {"a":1}\n\n');
    expect(encodeSseEvent('{"a":1}', '3_a')).toBe('id: 3_a\ndata: {"a":1}\n\n');
    expect(encodeSseEvent('x\ny\r\nz')).toBe('data: x\ndata: y\ndata: z\n\n');
  });

  it('primes a stream with an id, empty data and retry; keeps alive with a comment', () => {
    expect(encodeSsePriming('0_1', 1000)).toBe('id: 0_1\nretry: 1000\ndata: \n\n');
    expect(encodeSsePriming('0_1')).toBe('id: 0_1\ndata: \n\n');
    expect(encodeSseRetry(250.7)).toBe('retry: 250\n\n');
    expect(SSE_KEEPALIVE).toBe(':\n\n');
  });
});

describe('event ids', () => {
  it('encode their stream and position, and decode back', () => {
    expect(encodeEventId({ streamId: '1f', seq: 35 })).toBe('1f_z');
    expect(decodeEventId('1f_z')).toEqual({ streamId: '1f', seq: 35 });
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-z]{1,16}$/), fc.nat(), (streamId, seq) => {
        expect(decodeEventId(encodeEventId({ streamId, seq }))).toEqual({ streamId, seq });
      }),
    );
  });

  it('yield undefined for anything else, never throwing', () => {
    for (const bad of ['', '_', 'abc', 'A_1', '1_', '1_-2', 'x'.repeat(40) + '_1']) expect(decodeEventId(bad)).toBeUndefined();
    fc.assert(fc.property(fc.string(), (raw) => void decodeEventId(raw)));
  });
});
