import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test-support/waitFor.js';
import { createRedisClusterBus, type RedisClusterBus, type RedisClusterBusOptions } from '../src/index.js';
import { redisForTests, uniquePrefix } from '../../../test-support/redisForTests.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sharedRedis(): Promise<string> {
  const redis = await redisForTests();
  cleanups.push(() => redis.stop());
  return redis.url;
}

function bus(url: string, errors: Error[] = [], more: Partial<RedisClusterBusOptions> = {}): RedisClusterBus {
  const made = createRedisClusterBus({ url, onError: (e) => errors.push(e), ...more });
  cleanups.push(() => made.close());
  return made;
}

describe('the cluster bus on a real Redis', () => {
  it('delivers every message to every subscribed node once, in publish order, and counts the receivers', async () => {
    const url = await sharedRedis();
    const channel = `${uniquePrefix()}:all`;
    const [a, b, c] = [bus(url), bus(url), bus(url)];
    const seen: string[][] = [[], []];
    await a.subscribe(channel, (m) => seen[0]!.push(m));
    await b.subscribe(channel, (m) => seen[1]!.push(m));
    const counts: number[] = [];
    for (let i = 0; i < 200; i++) counts.push(await c.publish(channel, `m${i}`));
    expect(counts.every((n) => n === 2)).toBe(true);
    const expected = Array.from({ length: 200 }, (_, i) => `m${i}`);
    await waitFor(() => expect(seen).toEqual([expected, expected]));
  });

  it('keeps publish order for messages sent without waiting, and delivers to the publishing node too', async () => {
    const url = await sharedRedis();
    const channel = `${uniquePrefix()}:all`;
    const [a, b] = [bus(url), bus(url)];
    const seen: string[][] = [[], []];
    await a.subscribe(channel, (m) => seen[0]!.push(m));
    await b.subscribe(channel, (m) => seen[1]!.push(m));
    const expected = Array.from({ length: 500 }, (_, i) => `m${i}`);
    expect(await Promise.all(expected.map((m) => a.publish(channel, m)))).toEqual(expected.map(() => 2));
    await waitFor(() => expect(seen).toEqual([expected, expected]));
  });

  it('an ended subscription hears nothing more, and another listener of the channel keeps hearing', async () => {
    const url = await sharedRedis();
    const channel = `${uniquePrefix()}:all`;
    const node = bus(url);
    const first: string[] = [];
    const second: string[] = [];
    const end = await node.subscribe(channel, (m) => first.push(m));
    await node.subscribe(channel, (m) => second.push(m));
    await end();
    await end();
    expect(await bus(url).publish(channel, 'after')).toBe(1);
    await waitFor(() => expect(second).toEqual(['after']));
    expect(first).toEqual([]);
  });

  it('ending the last listener unsubscribes the node; a subscription racing that end stays on', async () => {
    const url = await sharedRedis();
    const channel = `${uniquePrefix()}:all`;
    const [node, sender] = [bus(url), bus(url)];
    const end = await node.subscribe(channel, () => {});
    await end();
    expect(await sender.publish(channel, 'nobody')).toBe(0);

    const endAgain = await node.subscribe(channel, () => {});
    const late: string[] = [];
    const [, endLate] = await Promise.all([endAgain(), node.subscribe(channel, (m) => late.push(m))]);
    expect(await sender.publish(channel, 'still on')).toBe(1);
    await waitFor(() => expect(late).toEqual(['still on']));
    await endLate();
  });

  it('a listener that throws is reported to onError and the next listener still hears the message', async () => {
    const url = await sharedRedis();
    const channel = `${uniquePrefix()}:all`;
    const errors: Error[] = [];
    const node = bus(url, errors);
    const heard: string[] = [];
    await node.subscribe(channel, () => {
      throw new Error('listener bug');
    });
    await node.subscribe(channel, (m) => heard.push(m));
    await node.publish(channel, 'one');
    await node.publish(channel, 'two');
    await waitFor(() => expect(heard).toEqual(['one', 'two']));
    expect(errors.map((e) => e.message)).toEqual(['listener bug', 'listener bug']);
  });
});
