import { describe, expect, it } from 'vitest';
import { KeepAliveHub, SlowConsumerError } from '../src/server/sseHub.js';
import { SseStream } from '../src/server/sseStream.js';

const stream = (maxQueuedMessages: number, maxQueuedBytes = 1 << 20) => new SseStream(new KeepAliveHub(0, { maxQueuedBytes, maxQueuedMessages }));

describe('an SSE body (the one bounded queue of a stream)', () => {
  it('cuts off a client past a small message bound, below the high-water mark too', async () => {
    const body = stream(50);
    for (let i = 0; i < 50; i++) await body.write(`data: ${i}\n\n`, true);
    await expect(body.write('data: 50\n\n', true)).rejects.toBeInstanceOf(SlowConsumerError);
    expect(body.closed).toBe(true);
    await expect(body.next()).rejects.toBeInstanceOf(SlowConsumerError);
  });

  it('cuts off a client past a small byte bound', async () => {
    const body = stream(10_000, 1_000);
    await body.write('x'.repeat(600), true);
    await expect(body.write('x'.repeat(600), true)).rejects.toBeInstanceOf(SlowConsumerError);
  });

  it('counts what the binding took until it pulls again (its client has not accepted it yet)', async () => {
    const body = stream(3);
    await body.write('a', true);
    await body.write('b', true);
    expect(await body.next()).toEqual({ done: false, value: 'ab' });
    // The binding is waiting for its socket: 'ab' is still in memory.
    await body.write('c', true);
    await expect(body.write('d', true)).rejects.toBeInstanceOf(SlowConsumerError);
  });

  it('hands a pending pull the next write, ends after what is queued, and lets a leaving client release writers', async () => {
    const body = stream(100);
    const pull = body.next();
    await body.write('one');
    expect(await pull).toEqual({ done: false, value: 'one' });
    await body.write('two');
    body.end();
    expect(await body.next()).toEqual({ done: false, value: 'two' });
    expect(await body.next()).toEqual({ done: true, value: undefined });
    const other = stream(100);
    const waiting = other.next();
    await other.return();
    expect(await waiting).toEqual({ done: true, value: undefined });
    await expect(other.write('late')).rejects.toThrow('closed');
  });

  it('hands a waiting reader what one turn wrote as one chunk, and tells a reader writing to its socket of a cut-off without a read', async () => {
    const body = stream(3);
    const seen: string[] = [];
    const reader = { chunk: (text: string) => seen.push(text), done: (error?: Error) => seen.push(`done ${error?.constructor.name ?? 'clean'}`) };
    body.read(reader);
    void body.write('a', true);
    void body.write('a', true);
    expect(seen).toEqual([]);
    await Promise.resolve();
    expect(seen).toEqual(['aa']);
    // The reader is writing 'aa' to its socket, not reading: a cut-off must reach it anyway.
    await body.write('b', true);
    await expect(body.write('c', true)).rejects.toBeInstanceOf(SlowConsumerError);
    expect(seen).toEqual(['aa', 'done SlowConsumerError']);
  });

  it('ends a reader after what is queued, and rejects the next pull of an iterator cut off between pulls', async () => {
    const body = stream(100);
    const seen: string[] = [];
    const reader = { chunk: (text: string) => seen.push(text), done: (error?: Error) => seen.push(`done ${error?.constructor.name ?? 'clean'}`) };
    await body.write('x');
    body.end();
    body.read(reader);
    body.read(reader);
    expect(seen).toEqual(['x', 'done clean']);
    const pulled = stream(2);
    await pulled.write('1', true);
    expect(await pulled.next()).toEqual({ done: false, value: '1' });
    await pulled.write('2', true);
    await expect(pulled.write('3', true)).rejects.toBeInstanceOf(SlowConsumerError);
    await expect(pulled.next()).rejects.toBeInstanceOf(SlowConsumerError);
  });
});
