import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLineReader } from '../src/lineReader.js';

function collect(maxLineBytes = 1024): { lines: string[]; oversize: number[]; reader: ReturnType<typeof createLineReader> } {
  const lines: string[] = [];
  const oversize: number[] = [];
  const reader = createLineReader({ maxLineBytes, onLine: (l) => lines.push(l), onOversize: (n) => oversize.push(n) });
  return { lines, oversize, reader };
}

describe('createLineReader', () => {
  it('joins a line split across chunks and splits several lines in one chunk', () => {
    const { lines, reader } = collect();
    reader.push(Buffer.from('{"a":'));
    reader.push(Buffer.from('1}\n{"b":2}\n{"c"'));
    expect(lines).toEqual(['{"a":1}', '{"b":2}']);
    reader.push(Buffer.from(':3}\n'));
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('keeps a multi-byte UTF-8 character split across a chunk boundary', () => {
    const { lines, reader } = collect();
    const bytes = Buffer.from('{"text":"héllo 🎉 wörld"}\n', 'utf8');
    const emoji = bytes.indexOf(Buffer.from('🎉', 'utf8'));
    // Cut inside the 4-byte emoji and inside the 2-byte é.
    const cuts = [bytes.indexOf(Buffer.from('é', 'utf8')) + 1, emoji + 1, emoji + 3, bytes.length];
    let start = 0;
    for (const cut of cuts) {
      reader.push(bytes.subarray(start, cut));
      start = cut;
    }
    expect(lines).toEqual(['{"text":"héllo 🎉 wörld"}']);
  });

  it('strips \\r of CRLF endings, even when \\r and \\n arrive in different chunks', () => {
    const { lines, reader } = collect();
    reader.push(Buffer.from('one\r\ntwo\r'));
    reader.push(Buffer.from('\nthree\n'));
    expect(lines).toEqual(['one', 'two', 'three']);
  });

  it('skips blank lines', () => {
    const { lines, reader } = collect();
    reader.push(Buffer.from('\n\r\n\nx\n\n'));
    expect(lines).toEqual(['x']);
  });

  it('drops a line over the limit as it streams, reports it once, and reads on', () => {
    const { lines, oversize, reader } = collect(10);
    reader.push(Buffer.from('ok\n0123456789'));
    expect(oversize).toEqual([]);
    reader.push(Buffer.from('abcdef'));
    // Reported before the line ends: a line that never ends is still reported.
    expect(oversize).toEqual([10]);
    for (let i = 0; i < 100; i++) reader.push(Buffer.from('more bytes of the same line'));
    reader.push(Buffer.from('tail\nnext\n'));
    expect(oversize).toEqual([10]);
    expect(lines).toEqual(['ok', 'next']);
  });

  it('accepts a line of exactly the limit, with or without \\r, and refuses one byte more', () => {
    const { lines, oversize, reader } = collect(5);
    reader.push(Buffer.from('12345\n12345\r\n123456\n'));
    expect(lines).toEqual(['12345', '12345']);
    expect(oversize).toEqual([5]);
  });

  it('counts the limit in bytes, not characters', () => {
    const { lines, oversize, reader } = collect(4);
    reader.push(Buffer.from('éé\nééé\n', 'utf8'));
    expect(lines).toEqual(['éé']);
    expect(oversize).toEqual([4]);
  });

  it('delivers a last line without a terminator at the end, and accepts string chunks', () => {
    const { lines, reader } = collect();
    reader.push('first\nla');
    reader.push('st');
    expect(lines).toEqual(['first']);
    reader.end();
    expect(lines).toEqual(['first', 'last']);
  });

  it('yields the same lines however the bytes are chunked (property)', () => {
    const line = fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, ''));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), fc.array(fc.nat({ max: 50 }), { maxLength: 30 }), (input, cuts) => {
        const bytes = Buffer.from(input.map((l) => `${l}\n`).join(''), 'utf8');
        const { lines, oversize, reader } = collect(4096);
        let start = 0;
        for (const cut of cuts) {
          const end = Math.min(bytes.length, start + cut);
          reader.push(bytes.subarray(start, end));
          start = end;
        }
        reader.push(bytes.subarray(start));
        reader.end();
        expect(oversize).toEqual([]);
        expect(lines).toEqual(input.filter((l) => l.length > 0));
      }),
    );
  });
});
