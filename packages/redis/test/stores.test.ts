import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMemoryEventStore, type EventStore, type StoredEvent } from '@tidings/http';
import { createMemoryTaskStore, type DetailedTask, type TaskStore } from '@tidings/protocol';
import { createRedisEventStore, createRedisTaskStore } from '../src/index.js';
import { redisForTests, uniquePrefix } from './redisForTests.js';

let redis: Awaited<ReturnType<typeof redisForTests>>;
const closers: Array<() => Promise<void>> = [];
beforeAll(async () => void (redis = await redisForTests()));
afterAll(async () => {
  for (const close of closers.splice(0)) await close();
  await redis.stop();
});

const event = (streamId: string, seq: number, position = seq): StoredEvent => ({ streamId, seq, data: `{"n":${seq}}`, position });

type EventStoreMaker = (bounds: { maxEventsPerSession?: number; maxAgeMs?: number }) => EventStore;
const eventStores: Array<[string, EventStoreMaker]> = [
  ['in memory', (bounds) => createInMemoryEventStore(bounds)],
  [
    'on Redis Streams',
    (bounds) => {
      const store = createRedisEventStore({ url: redis.url, keyPrefix: uniquePrefix(), ...bounds });
      closers.push(() => store.close());
      return store;
    },
  ],
];

describe.each(eventStores)('an event store %s keeps what a resuming client needs', (_name, make) => {
  it('replays one stream after the cursor, in order, and nothing of other streams or sessions', async () => {
    const store = make({});
    for (const e of [event('0', 1), event('7', 2), event('0', 3), event('0', 4)]) await store.append('s1', e);
    await store.append('s2', event('0', 1));
    expect(await store.replay('s1', '0', 1)).toEqual([event('0', 3), event('0', 4)]);
    expect(await store.replay('s1', '7', 0)).toEqual([event('7', 2)]);
    expect(await store.replay('s1', '0', 4)).toEqual([]);
    expect(await store.replay('unknown', '0', 0)).toEqual([]);
  });

  it('keeps at most maxEventsPerSession, the newest, so a resume from before them is a visible gap', async () => {
    const store = make({ maxEventsPerSession: 3 });
    for (let seq = 1; seq <= 5; seq++) await store.append('s', event('0', seq));
    expect((await store.replay('s', '0', 0)).map((e) => e.seq)).toEqual([3, 4, 5]);
  });

  it('replays nothing older than maxAgeMs', async () => {
    const store = make({ maxAgeMs: 1 });
    await store.append('s', event('0', 1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await store.replay('s', '0', 0)).toEqual([]);
  });

  it('forgets a deleted session', async () => {
    const store = make({});
    await store.append('s', event('0', 1));
    await store.deleteSession('s');
    expect(await store.replay('s', '0', 0)).toEqual([]);
  });
});

const task = (taskId: string, ttlMs: number | null, status: 'working' | 'completed' = 'working'): DetailedTask =>
  ({
    taskId,
    status,
    ttlMs,
    createdAt: '2026-12-03T00:00:00Z',
    lastUpdatedAt: '2026-12-03T00:00:00Z',
    ...(status === 'completed' ? { result: { content: [] } } : {}),
  }) as unknown as DetailedTask;

const taskStores: Array<[string, () => TaskStore]> = [
  ['in memory', () => createMemoryTaskStore()],
  [
    'on Redis',
    () => {
      const store = createRedisTaskStore({ url: redis.url, keyPrefix: uniquePrefix() });
      closers.push(() => store.close());
      return store;
    },
  ],
];

describe.each(taskStores)('a task store %s', (_name, make) => {
  it('finds a created task, replaces it on update, and never brings back one it does not have', async () => {
    const store = make();
    await store.create(task('t1', 60_000));
    expect(await store.get('t1')).toEqual(task('t1', 60_000));
    expect(await store.update(task('t1', 60_000, 'completed'))).toBe(true);
    expect((await store.get('t1'))?.status).toBe('completed');
    expect(await store.update(task('never-created', 60_000))).toBe(false);
    expect(await store.get('never-created')).toBeUndefined();
  });

  it('forgets a task once its ttl passed, and an update then says it is gone', async () => {
    const store = make();
    await store.create(task('short', 5));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(await store.get('short')).toBeUndefined();
    expect(await store.update(task('short', 5, 'completed'))).toBe(false);
  });
});

describe('the Redis task store across nodes', () => {
  it('a task created through one connection is read and updated through another, as another node would', async () => {
    const prefix = uniquePrefix();
    const [a, b] = [createRedisTaskStore({ url: redis.url, keyPrefix: prefix }), createRedisTaskStore({ url: redis.url, keyPrefix: prefix })];
    closers.push(() => a.close(), () => b.close());
    await a.create(task('shared', null));
    expect(await b.get('shared')).toEqual(task('shared', null));
    expect(await b.update(task('shared', null, 'completed'))).toBe(true);
    expect((await a.get('shared'))?.status).toBe('completed');
    await expect(b.create(task('shared', null))).rejects.toThrow(/already exists/);
  });
});
