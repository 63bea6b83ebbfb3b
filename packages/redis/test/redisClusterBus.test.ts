import { afterEach, describe, expect, it } from 'vitest';
import { startRedisServer } from '../../../test-support/redisServer.js';
import { waitFor } from '../../../test-support/waitFor.js';
import { createRedisClusterBus, type RedisClusterBus } from '../src/index.js';
import { redisForTests, uniquePrefix } from './redisForTests.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function bus(url: string, errors: Error[] = []): RedisClusterBus {
  const made = createRedisClusterBus({ url, onError: (e) => errors.push(e), maxReconnectDelayMs: 100 });
  cleanups.push(() => made.close());
  return made;
}

describe('the cluster bus on a real Redis', () => {
  it('delivers every message to every subscribed node once, in publish order, and counts the receivers', async () => {
    const redis = await redisForTests();
    cleanups.push(() => redis.stop());
    const channel = `${uniquePrefix()}:all`;
    const [a, b, c] = [bus(redis.url), bus(redis.url), bus(redis.url)];
    const seen: string[][] = [[], []];
    await a.subscribe(channel, (m) => seen[0]!.push(m));
    await b.subscribe(channel, (m) => seen[1]!.push(m));
    const counts: number[] = [];
    for (let i = 0; i < 200; i++) counts.push(await c.publish(channel, `m${i}`));
    expect(counts.every((n) => n === 2)).toBe(true);
    const expected = Array.from({ length: 200 }, (_, i) => `m${i}`);
    await waitFor(() => expect(seen).toEqual([expected, expected]));
  });

  it('an ended subscription hears nothing more, and another listener of the channel keeps hearing', async () => {
    const redis = await redisForTests();
    cleanups.push(() => redis.stop());
    const channel = `${uniquePrefix()}:all`;
    const node = bus(redis.url);
    const first: string[] = [];
    const second: string[] = [];
    const end = await node.subscribe(channel, (m) => first.push(m));
    await node.subscribe(channel, (m) => second.push(m));
    await end();
    expect(await bus(redis.url).publish(channel, 'after')).toBe(1);
    await waitFor(() => expect(second).toEqual(['after']));
    expect(first).toEqual([]);
  });

  it('publish and subscribe reject promptly while Redis is down, and everything flows again after it restarts', async () => {
    const redis = await startRedisServer();
    cleanups.push(() => redis.stop());
    const channel = `${uniquePrefix()}:all`;
    const errors: Error[] = [];
    const [sender, receiver] = [bus(redis.url, errors), bus(redis.url, errors)];
    const seen: string[] = [];
    await receiver.subscribe(channel, (m) => seen.push(m));
    expect(await sender.publish(channel, 'before')).toBe(1);
    await waitFor(() => expect(seen).toEqual(['before']));

    await redis.kill();
    await waitFor(() => expect(sender.publish(channel, 'while down')).rejects.toThrow(/not reachable/));
    await expect(receiver.subscribe(`${channel}:other`, () => {})).rejects.toThrow(/not reachable/);
    expect(errors.length).toBeGreaterThan(0);

    await redis.start();
    // The receiver's subscription comes back with its connection: a publish reaches it again.
    await waitFor(async () => expect(await sender.publish(channel, 'probe')).toBe(1), 10_000);
    expect(await sender.publish(channel, 'after')).toBe(1);
    await waitFor(() => expect(seen.filter((m) => m !== 'probe')).toEqual(['before', 'after']));
  });

  it('a closed bus refuses calls and holds no connection', async () => {
    const redis = await redisForTests();
    cleanups.push(() => redis.stop());
    const node = createRedisClusterBus({ url: redis.url });
    await node.subscribe(`${uniquePrefix()}:all`, () => {});
    await node.close();
    await expect(node.publish('x', 'y')).rejects.toThrow(/closed/);
    await node.close();
  });
});
