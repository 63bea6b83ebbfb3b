import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLineReader } from '../../src/lineReader.js';

const LF = 0x0a;
const CR = 0x0d;

type Event = ['line', string] | ['oversize', number];

/**
 * Bytes as a peer might write them: mostly line breaks and multi-byte UTF-8 (é, €, 🎉), with
 * invalid sequences (a lone continuation byte, a truncated lead, 0xff) and a BOM now and then.
 */
const piece = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('\n', '\r\n', '\r', 'a', '{"x":1}', 'é', '€', '🎉', '\uFEFF').map((s) => [...Buffer.from(s, 'utf8')]) },
  fc.constantFrom([0x80], [0xe2, 0x82], [0xf0, 0x9f], [0xff], [0xc3]),
  fc.uint8Array({ maxLength: 6 }).map((bytes) => [...bytes]),
);
const stream = fc.array(piece, { maxLength: 40 }).map((pieces) => Uint8Array.from(pieces.flat()));

/** What the reader must report, computed on the whole input at once (DESIGN §3: one message per line). */
function expected(bytes: Uint8Array, maxLineBytes: number, ended: boolean): Event[] {
  const events: Event[] = [];
  const decode = (b: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(b);
  const segments: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === LF) (segments.push(bytes.subarray(start, i)), (start = i + 1));
  const rest = bytes.subarray(start);
  const judge = (segment: Uint8Array) => {
    const content = segment.at(-1) === CR ? segment.subarray(0, -1) : segment;
    if (content.length > maxLineBytes) events.push(['oversize', maxLineBytes]);
    else if (content.length > 0) events.push(['line', decode(content)]);
  };
  segments.forEach(judge);
  // The last, unterminated line: delivered (or refused) at the end; before that, refused only once
  // it is certainly too long, even with a `\r` still to come.
  if (ended) judge(rest);
  else if (rest.length > maxLineBytes + 1) events.push(['oversize', maxLineBytes]);
  return events;
}

describe('stdio line reader', () => {
  it('yields exactly the lines of any bytes however they are chunked; over-long lines are dropped and reported once', () => {
    fc.assert(
      fc.property(
        stream,
        fc.oneof(fc.nat(12), fc.constant(4096)),
        fc.array(fc.nat(9), { maxLength: 40 }),
        fc.boolean(),
        fc.boolean(),
        (bytes, maxLineBytes, cuts, ended, foreignViews) => {
          const events: Event[] = [];
          const reader = createLineReader({
            maxLineBytes,
            onLine: (line) => void events.push(['line', line]),
            onOversize: (limit) => void events.push(['oversize', limit]),
          });
          // Chunks are Buffers, or plain Uint8Array views into a larger ArrayBuffer (an offset the reader must honour).
          const view = (from: number, to: number): Uint8Array => {
            if (!foreignViews) return Buffer.from(bytes.subarray(from, to));
            const padded = new Uint8Array(to - from + 4);
            padded.set(bytes.subarray(from, to), 2);
            return padded.subarray(2, 2 + to - from);
          };
          let start = 0;
          for (const cut of cuts) {
            const end = Math.min(bytes.length, start + cut);
            reader.push(view(start, end));
            start = end;
          }
          reader.push(view(start, bytes.length));
          if (ended) reader.end();
          expect(events).toEqual(expected(bytes, maxLineBytes, ended));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('after end() starts afresh: a second stream is read as if the first never happened', () => {
    fc.assert(
      fc.property(stream, stream, fc.nat(12), (first, second, maxLineBytes) => {
        const events: Event[] = [];
        const reader = createLineReader({ maxLineBytes, onLine: (l) => void events.push(['line', l]), onOversize: (n) => void events.push(['oversize', n]) });
        reader.push(first);
        reader.end();
        const before = events.length;
        reader.push(second);
        reader.end();
        expect(events.slice(before)).toEqual(expected(second, maxLineBytes, true));
      }),
      { numRuns: 200 },
    );
  });
});
