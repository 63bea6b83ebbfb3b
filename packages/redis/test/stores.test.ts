import { describe, expect, it } from 'vitest';
import type { DetailedTask } from '@tidings/protocol';
import { describeEventStoreContract } from '../../http/test/helpers/eventStoreContract.js';
import { describeTaskStoreContract } from '../../protocol/test/helpers/taskStoreContract.js';
import { startRedisServer } from '../../../test-support/redisServer.js';
import { waitFor } from '../../../test-support/waitFor.js';
import { createRedisEventStore, createRedisTaskStore } from '../src/index.js';
import { uniquePrefix } from '../../../test-support/redisForTests.js';
import { redisPerFile } from './redisPerFile.js';

const { url, closers } = redisPerFile();

// Every store gets a prefix of its own: tests never see each other's keys, even on a shared REDIS_URL.
describeEventStoreContract('on Redis Streams', (bounds) => {
  const store = createRedisEventStore({ url: url(), keyPrefix: uniquePrefix(), ...bounds });
  closers.push(() => store.close());
  return store;
});

describeTaskStoreContract('on Redis', () => {
  const store = createRedisTaskStore({ url: url(), keyPrefix: uniquePrefix() });
  closers.push(() => store.close());
  return store;
});

const task = (taskId: string, ttlMs: number | null, status: 'working' | 'completed' = 'working'): DetailedTask =>
  ({ taskId, status, ttlMs, createdAt: '2026-12-03T00:00:00Z', lastUpdatedAt: '2026-12-03T00:00:00Z' }) as unknown as DetailedTask;

describe('the Redis stores across nodes', () => {
  it('a task created through one connection is read and updated through another, as another node would', async () => {
    const prefix = uniquePrefix();
    const [a, b] = [createRedisTaskStore({ url: url(), keyPrefix: prefix }), createRedisTaskStore({ url: url(), keyPrefix: prefix })];
    closers.push(() => a.close(), () => b.close());
    await a.create(task('shared', null));
    expect(await b.get('shared')).toEqual(task('shared', null));
    expect(await b.update(task('shared', null, 'completed'))).toBe(true);
    expect((await a.get('shared'))?.status).toBe('completed');
    await expect(b.create(task('shared', null))).rejects.toThrow(/already exists/);
  });

  it('events kept by one node are replayed by another', async () => {
    const prefix = uniquePrefix();
    const [a, b] = [createRedisEventStore({ url: url(), keyPrefix: prefix }), createRedisEventStore({ url: url(), keyPrefix: prefix })];
    closers.push(() => a.close(), () => b.close());
    await a.append('s', { streamId: '0', seq: 1, data: 'one', position: 1 });
    await a.append('s', { streamId: '0', seq: 2, data: 'two', position: 2 });
    expect(await b.replay('s', '0', 1)).toEqual([{ streamId: '0', seq: 2, data: 'two', position: 2 }]);
    await b.deleteSession('s');
    expect(await a.replay('s', '0', 0)).toEqual([]);
  });

  it('a create that asks for replicas this Redis does not have fails, and leaves no task behind', async () => {
    const store = createRedisTaskStore({ url: url(), keyPrefix: uniquePrefix(), replicas: 1, replicaTimeoutMs: 50 });
    closers.push(() => store.close());
    await expect(store.create(task('undurable', 60_000))).rejects.toThrow(/stored on 0 of 1 replicas/);
    expect(await store.get('undurable')).toBeUndefined();
  });
});

describe('the Redis stores when Redis fails', () => {
  it('calls reject promptly while Redis is down, and work again once it is back', async () => {
    const own = await startRedisServer();
    closers.push(() => own.stop());
    const events = createRedisEventStore({ url: own.url, onError: () => {}, maxReconnectDelayMs: 100 });
    const tasks = createRedisTaskStore({ url: own.url, onError: () => {}, maxReconnectDelayMs: 100 });
    closers.push(() => events.close(), () => tasks.close());
    await events.append('s', { streamId: '0', seq: 1, data: 'kept', position: 1 });
    await tasks.create(task('t', 60_000));

    await own.kill();
    await waitFor(() => expect(events.append('s', { streamId: '0', seq: 2, data: 'lost', position: 2 })).rejects.toThrow(/not reachable/));
    await expect(events.replay('s', '0', 0)).rejects.toThrow(/not reachable/);
    await waitFor(() => expect(tasks.get('t')).rejects.toThrow(/not reachable/));
    await expect(tasks.update(task('t', 60_000, 'completed'))).rejects.toThrow(/not reachable/);

    // A restarted Redis without persistence kept nothing: the stores say so, they do not invent.
    await own.start();
    await waitFor(async () => expect(await events.replay('s', '0', 0)).toEqual([]), 10_000);
    await waitFor(async () => expect(await tasks.update(task('t', 60_000, 'completed'))).toBe(false), 10_000);
  });
});
