import { encodeEventId, encodeSseEvent, encodeSsePriming, encodeSseRetry, SSE_KEEPALIVE } from '@tidings/protocol/http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSseStream } from '@tidings/http';

type Call = ['id', string] | ['data', string] | ['retry', number];

/**
 * A body that hands out `bytes` in the given cuts, then ends or fails; it records whether the reader
 * cancelled it, and calls `beforeChunk(sent)` each time the reader asks for more.
 */
function body(bytes: Uint8Array, cuts: number[], fail: boolean, beforeChunk: (sent: Uint8Array) => void): { stream: ReadableStream<Uint8Array>; cancelled: () => boolean } {
  let start = 0;
  let next = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      beforeChunk(bytes.subarray(0, start));
      if (start >= bytes.length) return fail ? controller.error(new Error('connection cut')) : controller.close();
      const end = Math.min(bytes.length, start + 1 + (cuts[next++ % Math.max(1, cuts.length)] ?? bytes.length));
      controller.enqueue(bytes.slice(start, end));
      start = end;
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, cancelled: () => cancelled };
}

async function read(bytes: Uint8Array, cuts: number[], options: { fail?: boolean; max?: number; beforeChunk?: (sent: Uint8Array, calls: Call[]) => void } = {}) {
  const calls: Call[] = [];
  const { stream, cancelled } = body(bytes, cuts, options.fail ?? false, (sent) => options.beforeChunk?.(sent, calls));
  const end = await readSseStream(
    stream,
    { onEventId: (id) => void calls.push(['id', id]), onData: (data) => void calls.push(['data', data]), onRetry: (ms) => void calls.push(['retry', ms]) },
    options.max ?? 1 << 20,
  );
  return { calls, end, cancelled: cancelled() };
}

/**
 * What readSseStream must report, from the event stream format itself (HTML §9.2.6), written
 * independently of eventsource-parser: lines end in CRLF, LF or CR; an unterminated last line is
 * dropped; a blank line dispatches an event that has data; `id` is the block's last non-NUL id.
 */
function reference(text: string): Call[] {
  const calls: Call[] = [];
  const lines = (text.startsWith('\uFEFF') ? text.slice(1) : text).split(/\r\n|\r|\n/);
  lines.pop();
  let data: string[] = [];
  let id: string | undefined;
  let type: string | undefined;
  for (const line of lines) {
    if (line === '') {
      if (data.length > 0) {
        if (id) calls.push(['id', id]);
        const joined = data.join('\n');
        if (joined !== '' && (type === undefined || type === 'message')) calls.push(['data', joined]);
      }
      [data, id, type] = [[], undefined, undefined];
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') data.push(value);
    else if (field === 'id' && !value.includes('\0')) id = value;
    else if (field === 'event') type = value || undefined;
    else if (field === 'retry' && /^\d+$/.test(value)) calls.push(['retry', Number.parseInt(value, 10)]);
  }
  return calls;
}

const utf8 = (text: string) => new TextEncoder().encode(text);
/** What survives UTF-8: lone surrogates become U+FFFD. */
const wellFormed = (text: string) => new TextDecoder().decode(utf8(text));
const char = fc.oneof(fc.constantFrom('\r', '\n', '\0', '\uD800', ' ', ':', 'é', '🎉'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }));
const cuts = fc.array(fc.nat(12), { maxLength: 20 });

describe('readSseStream', () => {
  it('reads back what the core encodes, however the bytes are chunked (split UTF-8 included)', async () => {
    const cursor = fc.record({ streamId: fc.stringMatching(/^[0-9a-z]{1,4}$/), seq: fc.nat(), position: fc.option(fc.nat(), { nil: undefined }) });
    const item = fc.oneof(
      fc.record({ data: fc.string({ unit: char, maxLength: 20 }), at: fc.option(cursor, { nil: undefined }) }).map(({ data, at }) => {
        const id = at && encodeEventId(at);
        const text = wellFormed(data).replace(/\r\n|\r/g, '\n');
        return { wire: encodeSseEvent(data, id), calls: [...(id ? [['id', id]] : []), ...(text ? [['data', text]] : [])] as Call[] };
      }),
      fc.tuple(cursor, fc.option(fc.nat(100_000), { nil: undefined })).map(([at, retry]) => ({
        wire: encodeSsePriming(encodeEventId(at), retry),
        // The retry field is read as its line arrives, before the event it belongs to is dispatched.
        calls: [...(retry === undefined ? [] : [['retry', retry]]), ['id', encodeEventId(at)]] as Call[],
      })),
      fc.nat(100_000).map((retry) => ({ wire: encodeSseRetry(retry), calls: [['retry', retry]] as Call[] })),
      fc.constant({ wire: SSE_KEEPALIVE, calls: [] as Call[] }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(item, { maxLength: 8 }), cuts, async (items, cut) => {
        const { calls, end } = await read(utf8(items.map((i) => i.wire).join('')), cut);
        expect(end).toEqual({});
        expect(calls).toEqual(items.flatMap((i) => i.calls));
      }),
      { numRuns: 200 },
    );
  });

  it('reads any bytes as the event stream format says, never rejecting; a cut connection is an error in the result', async () => {
    // Lines of every kind (blank ones dispatch), each ended by LF, CRLF or a lone CR, the last one maybe not at all.
    const field = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom('', '', 'data: x', 'data:', 'data:  y', 'id: 1_a', 'id:', 'id: \0', 'retry: 250', 'retry: x', 'event: other', 'event: message', ': c', 'bogus: 1') },
      fc.string({ unit: char, maxLength: 6 }),
    );
    const line = fc.tuple(field, fc.constantFrom('\n', '\r\n', '\r')).map(([f, end]) => f + end);
    const lines = fc.tuple(fc.array(line, { maxLength: 16 }), fc.option(field)).map(([ls, tail]) => ls.join('') + (tail ?? ''));
    const bytes = fc.oneof({ weight: 4, arbitrary: lines.map(utf8) }, fc.uint8Array({ maxLength: 60 }));
    await fc.assert(
      fc.asyncProperty(bytes, cuts, fc.boolean(), async (input, cut, fail) => {
        // The decoder holds back an incomplete UTF-8 sequence at the very end, as a stream must.
        const expected = (sent: Uint8Array) => reference(new TextDecoder().decode(sent, { stream: true }));
        // Every event is reported as soon as the line that ends it arrived, not when more text comes.
        const beforeChunk = (sent: Uint8Array, calls: Call[]) => expect(calls).toEqual(expected(sent));
        const { calls, end } = await read(input, cut, { fail, beforeChunk });
        expect(calls).toEqual(expected(input));
        if (fail) expect(end.error).toBeInstanceOf(Error);
        else expect(end).toEqual({});
      }),
      { numRuns: 200 },
    );
  });

  it('regression: lines ended by a lone CR are read at once and at the end of the body (found by the property above)', async () => {
    const cr = utf8('retry: 250\rdata:\nid: 1_a\n\r');
    const seen: Call[][] = [];
    const { calls } = await read(cr, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], { beforeChunk: (_sent, so) => void seen.push([...so]) });
    expect(calls).toEqual([['retry', 250], ['id', '1_a']]);
    // The retry was reported with the chunk holding its CR (the 11th byte), before the next byte was asked for.
    expect(seen[11]).toEqual([['retry', 250]]);
    expect((await read(utf8('data: x\r\r'), [])).calls).toEqual([['data', 'x']]);
  });

  it('gives up on a stream whose buffered line or event passes maxBufferSize: an error, the body cancelled, only whole events before it', async () => {
    const line = fc.tuple(fc.constantFrom('data: ', 'id: ', ': '), fc.string({ unit: 'grapheme-ascii', maxLength: 40 })).map(([f, v]) => `${f}${v}\n`);
    const input = fc.array(fc.oneof(line, fc.constant('\n')), { maxLength: 12 }).map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(input, cuts, fc.integer({ min: 4, max: 40 }), async (text, cut, max) => {
        const unbounded = reference(text);
        const { calls, end, cancelled } = await read(utf8(text), cut, { max });
        if (end.error === undefined) {
          expect(calls).toEqual(unbounded);
        } else {
          expect(end.error).toMatchObject({ type: 'max-buffer-size-exceeded' });
          expect(cancelled).toBe(true);
          expect(unbounded.slice(0, calls.length)).toEqual(calls);
        }
        // Nothing the size of the bound or less is ever refused: a stream whose lines and events all fit reads to its end.
        const longest = Math.max(0, ...text.split('\n\n').map((block) => block.length + 2));
        if (longest <= max) expect(end).toEqual({});
      }),
      { numRuns: 200 },
    );
  });
});
