import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test-support/waitFor.js';
import { compareEntries } from '@tidings/protocol';
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

  it('its log: what is published through it reaches subscribers with its entry id, in the log\'s order, and reads back after any entry', async () => {
    const url = await sharedRedis();
    const prefix = uniquePrefix();
    const channel = `${prefix}:all`;
    const [a, b] = [bus(url), bus(url)];
    const heard: Array<[string, string | undefined]> = [];
    await a.subscribe(channel, (m, entry) => heard.push([m, entry]));
    // Messages are opaque: a `|` or a leading number in one must come through as sent.
    const sent = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? `${i}|x|y` : i % 3 === 1 ? `{"n":${i}}` : `plain ${i}`));
    expect(await Promise.all(sent.map((m, i) => (i % 2 === 0 ? a : b).log!.publish(channel, m)))).toEqual(sent.map(() => 1));
    await b.publish(channel, 'not kept');
    await waitFor(() => expect(heard).toHaveLength(301));
    expect(heard.at(-1)).toEqual(['not kept', undefined]);
    const kept = heard.slice(0, 300);
    expect(kept.map(([m]) => m).sort()).toEqual([...sent].sort());
    const ids = kept.map(([, entry]) => entry!);
    expect(ids.every((id) => /^\d+-\d+$/.test(id))).toBe(true);
    expect([...ids].sort(compareEntries)).toEqual(ids);
    // Read back in pages from any entry: the same messages, in the order subscribers got them.
    const read: Array<[string, string]> = [];
    for (let after = ids[99]!, more = true; more; ) {
      const page = await b.log!.read(channel, after, 64);
      expect(page.gap).toBe(false);
      for (const { id, message } of page.entries) read.push([message, id]);
      more = page.entries.length === 64;
      after = page.entries.at(-1)?.id ?? after;
    }
    expect(read).toEqual(kept.slice(100));
  });

  it('its log keeps at least `length` entries, and a read from before what it dropped says there is a gap', async () => {
    const url = await sharedRedis();
    const prefix = uniquePrefix();
    const node = bus(url, [], { log: { length: 100 } });
    const channel = `${prefix}:all`;
    const first = await node.log!.read(channel, '0-0', 1);
    expect(first).toEqual({ entries: [], gap: false });
    for (let i = 0; i < 1_000; i++) await node.log!.publish(channel, `m${i}`);
    // Each channel has a log of its own.
    expect((await node.log!.read(`${prefix}:other`, '0-0', 10)).entries).toEqual([]);
    const all = await node.log!.read(channel, '0-0', 10_000);
    expect(all.gap).toBe(true);
    expect(all.entries.length).toBeGreaterThanOrEqual(100);
    expect(all.entries.length).toBeLessThan(1_000);
    expect(all.entries.at(-1)!.message).toBe('m999');
    // From an entry it still keeps, nothing after it was dropped.
    const recent = await node.log!.read(channel, all.entries.at(-10)!.id, 100);
    expect(recent.gap).toBe(false);
    expect(recent.entries.map((e) => e.message)).toEqual(all.entries.slice(-9).map((e) => e.message));
  });

  it('a bus made with log: false has none', () => {
    expect(bus('redis://127.0.0.1:1', [], { log: false }).log).toBeUndefined();
  });
});
