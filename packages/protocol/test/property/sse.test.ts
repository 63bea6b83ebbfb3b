import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEventId, encodeEventId, encodeSseEvent, encodeSsePriming, encodeSseRetry, type EventCursor } from '../../src/http/sse.js';

// Encoding is cheap: 200 runs per property stay far under 2 s. fast-check prints the seed of any failure.
const RUNS = { numRuns: 200 };

const cursor: fc.Arbitrary<EventCursor> = fc.record(
  {
    streamId: fc.stringMatching(/^[0-9a-z]{1,16}$/),
    seq: fc.oneof(fc.nat(50), fc.maxSafeNat()),
    position: fc.oneof(fc.nat(50), fc.maxSafeNat()),
  },
  { requiredKeys: ['streamId', 'seq'] },
);

/** Any character, the awkward ones often: line breaks, NUL, lone surrogates, a BOM ('binary' would cost 1.5 s to warm up). */
const char = fc.oneof(fc.constantFrom('\r', '\n', '\0', '\uD800', '\uDC00', '\uFEFF', ' ', ':', '_'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }));

/**
 * Reads one event the way HTML §9.2.6 does, for our own output only: lines end in LF, a field is
 * `name: value` (one leading space dropped), data lines join with LF, the blank line ends it.
 */
function readEvent(text: string): { id?: string; retry?: string; data?: string } {
  expect(text.endsWith('\n\n')).toBe(true);
  // Exactly one event: no blank line before the one that ends it, and no CR to split lines otherwise.
  expect(text.indexOf('\n\n')).toBe(text.length - 2);
  expect(text).not.toMatch(/\r/);
  const event: { id?: string; retry?: string; data?: string } = {};
  for (const line of text.slice(0, -2).split('\n')) {
    const match = /^(id|retry|data): (.*)$/s.exec(line);
    expect(match, `unexpected line ${JSON.stringify(line)}`).not.toBeNull();
    const [, field, value] = match!;
    if (field === 'data') event.data = event.data === undefined ? value : `${event.data}\n${value}`;
    else event[field as 'id' | 'retry'] = value;
  }
  return event;
}

describe('SSE encoders', () => {
  it('write any data as one event whose data lines read back as the data, line breaks normalised to LF', () => {
    const data = fc.oneof(fc.string({ unit: char, maxLength: 30 }), fc.array(fc.constantFrom('a', '\r', '\n', '\r\n', ' ', 'data: x', ':'), { maxLength: 12 }).map((parts) => parts.join('')));
    fc.assert(
      fc.property(data, fc.option(cursor, { nil: undefined }), (text, at) => {
        const id = at === undefined ? undefined : encodeEventId(at);
        const event = readEvent(encodeSseEvent(text, id));
        expect(event.data).toBe(text.replace(/\r\n|\r/g, '\n'));
        expect(event.id).toBe(id);
      }),
      RUNS,
    );
  });

  it('prime and set retry with an id, whole non-negative milliseconds and empty data', () => {
    // The domain is the option's: a number of milliseconds up to 2^53. NaN, ±Infinity and
    // values from 1e21 up are outside it (they would print as "NaN" or "1e+21"; see the report).
    const ms = fc.oneof(fc.double({ min: -1e6, max: Number.MAX_SAFE_INTEGER, noNaN: true }), fc.integer());
    fc.assert(
      fc.property(cursor, fc.option(ms, { nil: undefined }), (at, retry) => {
        const id = encodeEventId(at);
        const primed = readEvent(encodeSsePriming(id, retry));
        expect(primed).toEqual(retry === undefined ? { id, data: '' } : { id, data: '', retry: expect.stringMatching(/^\d+$/) });
        if (retry !== undefined) {
          expect(Number(primed.retry)).toBe(Math.max(0, Math.floor(retry)));
          expect(readEvent(encodeSseRetry(retry))).toEqual({ retry: primed.retry });
        }
      }),
      RUNS,
    );
  });
});

describe('event id codec', () => {
  it('decodes what it encodes, and the id is a single SSE-safe token', () => {
    fc.assert(
      fc.property(cursor, (at) => {
        const id = encodeEventId(at);
        // An id may not carry LF, CR or NUL (HTML §9.2.6), nor spaces that trimming would eat.
        expect(id).toMatch(/^[0-9a-z_]+$/);
        expect(decodeEventId(id)).toEqual(at);
      }),
      RUNS,
    );
  });

  it('never throws on any header value; what it accepts is a cursor that encodes and decodes to itself', () => {
    // Near misses: base-36 parts of every length around the 11-digit limit, where 2^53 is passed.
    const part = fc.oneof(fc.stringMatching(/^[0-9a-z]{0,13}$/), fc.constantFrom('zzzzzzzzzzz', '2gosa7pa2gw', '2gosa7pa2gv', '00000000001'));
    const nearId = fc.tuple(part, part, fc.option(part), fc.constantFrom('', ' ', '\n')).map(([a, b, c, pad]) => `${pad}${c === null ? `${a}_${b}` : `${a}_${b}_${c}`}${pad}`);
    const raw = fc.oneof(
      fc.string({ unit: char, maxLength: 40 }),
      nearId,
      fc.array(fc.constantFrom('0', 'z', 'Z', '_', ' ', '1', '-', '\n'), { maxLength: 12 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(raw, (text) => {
        const decoded = decodeEventId(text);
        if (decoded === undefined) return;
        expect(Number.isSafeInteger(decoded.seq) && decoded.seq >= 0).toBe(true);
        if (decoded.position !== undefined) expect(Number.isSafeInteger(decoded.position) && decoded.position >= 0).toBe(true);
        expect(decodeEventId(encodeEventId(decoded))).toEqual(decoded);
      }),
      RUNS,
    );
  });
});
