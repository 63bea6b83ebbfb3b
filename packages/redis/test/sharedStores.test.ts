import { describe, expect, it } from 'vitest';
import type { SharedSessionState } from '@tidings/protocol';
import type { StoredEvent } from '@tidings/http';
import { startRedisServer } from '../../../test-support/redisServer.js';
import { waitFor } from '../../../test-support/waitFor.js';
import { createRedisEventStore, createRedisSessionStore, createRedisTaskStore } from '../src/index.js';
import { uniquePrefix } from '../../../test-support/redisForTests.js';
import { redisPerFile } from './redisPerFile.js';

const { url, closers } = redisPerFile();

const state = (logLevel?: 'info' | 'error'): SharedSessionState => ({
  ready: true,
  protocolVersion: '2025-11-25',
  clientInfo: { name: 'c', version: '1' },
  clientCapabilities: { roots: {} },
  ...(logLevel ? { logLevel } : {}),
});

/** Two stores on one prefix, as two nodes of a cluster hold them. */
function twoNodes<T extends { close(): Promise<void> }>(make: (prefix: string) => T): [T, T] {
  const prefix = uniquePrefix();
  const pair: [T, T] = [make(prefix), make(prefix)];
  closers.push(() => pair[0].close(), () => pair[1].close());
  return pair;
}

describe('the Redis session store (shared legacy sessions)', () => {
  it('a session made by one node is read by another, which sees changes and is not its home', async () => {
    const [a, b] = twoNodes((keyPrefix) => createRedisSessionStore({ url: url(), keyPrefix }));
    const before = Date.now();
    await a.create('s', state(), 'A', 60_000);
    const opened = await b.open('s', 'B', 60_000);
    expect(opened).toEqual({ state: state(), home: false, delivered: -1, created: expect.any(Number) });
    // When it was made, by Redis's clock (here the machine's): where a node taking it over starts reading the bus log.
    expect(Math.abs(opened!.created - before)).toBeLessThan(5_000);
    expect(await a.update('s', state('error'), 60_000)).toBe(true);
    expect((await b.open('s', 'B'))?.state.logLevel).toBe('error');
    expect(await a.open('s', 'A')).toMatchObject({ home: true });
    await b.delivered('s', 7);
    await b.delivered('s', 3);
    expect((await a.open('s', 'A'))?.delivered).toBe(7);
    await b.delete('s');
    expect(await a.open('s', 'A')).toBeUndefined();
    expect(await a.update('s', state(), 60_000)).toBe(false);
  });

  it('a session expires after its TTL without activity; reading it with a TTL is activity', async () => {
    const [a] = twoNodes((keyPrefix) => createRedisSessionStore({ url: url(), keyPrefix }));
    await a.create('kept', state(), 'A', 300);
    await a.create('left', state(), 'A', 300);
    for (let i = 0; i < 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 120));
      expect(await a.open('kept', 'A', 300)).toBeDefined();
    }
    expect(await a.open('left', 'A')).toBeUndefined();
  });

  it('the home moves to the next node that opens the session once its node stops signing, and only to one', async () => {
    const prefix = uniquePrefix();
    const [a, b, c] = [0, 1, 2].map(() => createRedisSessionStore({ url: url(), keyPrefix: prefix, nodeTimeoutMs: 300 }));
    closers.push(() => b!.close(), () => c!.close());
    await a!.create('s', state(), 'A', 60_000);
    expect((await b!.open('s', 'B'))?.home).toBe(false);
    expect(await b!.alive('A')).toBe(true);
    await a!.close(); // a node stopping cleanly signs off at once
    expect(await b!.alive('A')).toBe(false);
    const [fromB, fromC] = await Promise.all([b!.open('s', 'B'), c!.open('s', 'C')]);
    expect([fromB?.home, fromC?.home].filter(Boolean)).toHaveLength(1);
    expect((await b!.open('s', 'B'))?.home).toBe(fromB?.home);
  });
});

describe('following a Redis event store (shared legacy sessions)', () => {
  it('a follower gets the kept events after its cursor, then each event another node appends, in order, and the final flag', async () => {
    const [writer, reader] = twoNodes((keyPrefix) => createRedisEventStore({ url: url(), keyPrefix }));
    await writer.append('s', { streamId: '0', seq: 1, data: 'one', position: 1 });
    await writer.append('s', { streamId: '0', seq: 2, data: 'two', position: 2 });
    const got: StoredEvent[][] = [];
    const stop = reader.follow('s', '0', 1, (events) => got.push([...events]), (error) => got.push([{ streamId: 'error', seq: -1, data: String(error), position: 0 }]));
    await waitFor(() => expect(got).toHaveLength(1));
    expect(got[0]).toEqual([{ streamId: '0', seq: 2, data: 'two', position: 2 }]);
    await writer.append('s', { streamId: 'x1', seq: 1, data: 'other stream', position: 1 });
    await writer.append('s', { streamId: '0', seq: 3, data: 'three', position: 3, entry: '1700000000000-7' });
    await writer.append('s', { streamId: '0', seq: 4, data: 'four', position: 4, final: true });
    await waitFor(() => expect(got.flat().map((e) => e.seq)).toEqual([2, 3, 4]));
    expect(got.flat()[1]!.entry).toBe('1700000000000-7');
    expect(got.flat().at(-1)).toEqual({ streamId: '0', seq: 4, data: 'four', position: 4, final: true });
    stop();
    await writer.append('s', { streamId: '0', seq: 5, data: 'after', position: 5 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(got.flat().map((e) => e.seq)).toEqual([2, 3, 4]);
    // The newest seq, and the newest bus log entry the stream's events came from (seq 3's, not the later ones without).
    expect(await reader.tail('s', '0')).toEqual({ seq: 5, entry: '1700000000000-7' });
    expect(await reader.tail('s', 'x1')).toEqual({ seq: 1, entry: undefined });
    expect(await reader.tail('s', 'none')).toEqual({ seq: -1, entry: undefined });
  });

  it('followers of many sessions share one blocking read, and a new one hears its first event without waiting for it', async () => {
    const [writer, reader] = twoNodes((keyPrefix) => createRedisEventStore({ url: url(), keyPrefix }));
    const heard = new Map<string, number[]>();
    const stops = Array.from({ length: 20 }, (_, i) =>
      reader.follow(`s${i}`, '0', 0, (events) => heard.set(`s${i}`, [...(heard.get(`s${i}`) ?? []), ...events.map((e) => e.seq)]), () => {}),
    );
    await waitFor(() => expect(heard.size).toBe(20));
    for (let i = 0; i < 20; i++) await writer.append(`s${i}`, { streamId: '0', seq: 1, data: 'x', position: 1 });
    await waitFor(() => expect([...heard.values()].every((seqs) => seqs.join() === '1')).toBe(true));
    for (const stop of stops) stop();
  });
});

describe('following through a Redis restart', () => {
  it('a follower hears what is appended once Redis is back, and the outage is reported once', async () => {
    const own = await startRedisServer();
    closers.push(() => own.stop());
    const errors: Error[] = [];
    const options = { url: own.url, keyPrefix: uniquePrefix(), maxReconnectDelayMs: 100, onError: (error: Error) => void errors.push(error) };
    const [writer, reader] = [createRedisEventStore(options), createRedisEventStore(options)];
    closers.push(() => writer.close(), () => reader.close());
    const seqs: number[] = [];
    const stop = reader.follow('s', '0', 0, (events) => seqs.push(...events.map((e) => e.seq)), () => {});
    closers.push(async () => stop());
    await writer.append('s', { streamId: '0', seq: 1, data: 'before', position: 1 });
    await waitFor(() => expect(seqs).toEqual([1]));
    await own.kill();
    await new Promise((resolve) => setTimeout(resolve, 600));
    await own.start();
    // A Redis without persistence comes back empty; what is appended now has later ids and reaches the follower.
    await waitFor(async () => expect(await writer.append('s', { streamId: '0', seq: 2, data: 'after', position: 2 })).toBeUndefined(), 10_000);
    await waitFor(() => expect(seqs).toEqual([1, 2]), 10_000);
    expect(errors.filter((e) => /following events stopped/.test(e.message))).toHaveLength(1);
  });
});

describe('task owners in the Redis task store (2025-11-25 tasks of shared sessions)', () => {
  it('one node records a session\'s tasks, another finds the owner and lists them in pages, oldest first', async () => {
    const [a, b] = twoNodes((keyPrefix) => createRedisTaskStore({ url: url(), keyPrefix }));
    for (const id of ['t1', 't2', 't3']) await a.owners!.add(id, 'session-1', 60_000);
    await a.owners!.add('other', 'session-2', null);
    expect(await b.owners!.ownerOf('t2')).toBe('session-1');
    expect(await b.owners!.ownerOf('unknown')).toBeUndefined();
    const first = await b.owners!.page('session-1', 0, 2);
    expect(first.taskIds).toEqual(['t1', 't2']);
    const second = await b.owners!.page('session-1', first.next!, 2);
    expect(second).toEqual({ taskIds: ['t3'], next: undefined });
    expect((await b.owners!.page('session-2', 0, 10)).taskIds).toEqual(['other']);
  });
});
