import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TransportError } from '@tidings/protocol';
import { createLineWriter } from '../src/lineWriter.js';

/** A stream whose reader is stalled until `release` is called. */
function stalledStream(highWaterMark: number): { stream: Writable; written: string[]; release: () => void } {
  const written: string[] = [];
  const held: Array<() => void> = [];
  let flowing = false;
  const stream = new Writable({
    highWaterMark,
    decodeStrings: false,
    write(chunk: string, _encoding, callback) {
      written.push(chunk);
      if (flowing) callback();
      else held.push(callback);
    },
  });
  const release = (): void => {
    flowing = true;
    for (const callback of held.splice(0)) callback();
  };
  return { stream, written, release };
}

describe('createLineWriter', () => {
  it('resolves at once under the high-water mark and appends one newline per message', async () => {
    const { stream, written, release } = stalledStream(1024);
    release();
    const writer = createLineWriter(stream, 1 << 20, () => {});
    await writer.write('{"a":1}');
    await writer.write('{"b":2}');
    expect(written).toEqual(['{"a":1}\n', '{"b":2}\n']);
  });

  it('makes blocked writes share one drain wait, never a listener per write', async () => {
    const { stream, release } = stalledStream(16);
    const drainListeners = stream.listenerCount('drain');
    const writer = createLineWriter(stream, 1 << 20, () => {});
    const sends = Array.from({ length: 200 }, (_, i) => writer.write(`{"n":${i}}`));
    expect(stream.listenerCount('drain')).toBe(drainListeners + 1);
    let settled = 0;
    for (const send of sends) void send.then(() => settled++);
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(1);
    release();
    await Promise.all(sends);
    expect(settled).toBe(200);
    expect(stream.listenerCount('drain')).toBe(drainListeners + 1);
  });

  it('rejects with a TransportError once more than maxQueuedBytes wait for a slow reader', async () => {
    const { stream, release } = stalledStream(16);
    const writer = createLineWriter(stream, 100, () => {});
    const accepted: Promise<void>[] = [];
    let refused: unknown;
    for (let i = 0; i < 50 && refused === undefined; i++) {
      const message = `{"n":${i},"pad":"xxxxxxxxxx"}`;
      if (stream.writableLength > 100) refused = await writer.write(message).catch((error: unknown) => error);
      else accepted.push(writer.write(message));
    }
    expect(refused).toBeInstanceOf(TransportError);
    expect((refused as Error).message).toMatch(/queue is full/);
    release();
    await Promise.all(accepted);
  });

  it('refuses a message holding a newline', async () => {
    const { stream } = stalledStream(1024);
    const writer = createLineWriter(stream, 1 << 20, () => {});
    await expect(writer.write('{"a":\n1}')).rejects.toBeInstanceOf(TransportError);
  });

  it('rejects the pending drain wait and later writes when closed', async () => {
    const { stream } = stalledStream(4);
    const writer = createLineWriter(stream, 1 << 20, () => {});
    const blocked = writer.write('{"blocked":true}');
    writer.close(new TransportError('gone'));
    await expect(blocked).rejects.toThrow('gone');
    await expect(writer.write('{}')).rejects.toThrow('gone');
    expect(stream.listenerCount('drain')).toBe(0);
  });

  it('reports a stream error once, as a TransportError, and survives errors after close', async () => {
    const { stream } = stalledStream(4);
    const errors: TransportError[] = [];
    const writer = createLineWriter(stream, 1 << 20, (error) => errors.push(error));
    const blocked = writer.write('{"blocked":true}');
    stream.destroy(new Error('EPIPE'));
    await expect(blocked).rejects.toBeInstanceOf(TransportError);
    expect(errors.map((e) => e.message)).toEqual(['Cannot write: EPIPE']);
    writer.close(new TransportError('closed'));
    stream.emit('error', new Error('late'));
    expect(errors).toHaveLength(1);
  });
});
