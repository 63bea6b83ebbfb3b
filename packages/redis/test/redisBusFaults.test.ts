import { afterEach, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../../../test-support/redisServer.js';
import { waitFor } from '../../../test-support/waitFor.js';
import { createRedisClusterBus, type RedisClusterBus, type RedisClusterBusOptions } from '../src/index.js';
import { uniquePrefix } from '../../../test-support/redisForTests.js';

// These tests kill, restart and pause Redis: each starts its own, never the shared REDIS_URL.
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function ownRedis(): Promise<RedisServer> {
  const redis = await startRedisServer();
  cleanups.push(() => redis.stop());
  return redis;
}

function bus(url: string, errors: Error[] = [], more: Partial<RedisClusterBusOptions> = {}): RedisClusterBus {
  const made = createRedisClusterBus({ url, onError: (e) => errors.push(e), maxReconnectDelayMs: 100, ...more });
  cleanups.push(() => made.close());
  return made;
}

/** Sockets and timers this process holds: what a closed bus must give back. */
const handles = (): string[] =>
  process
    .getActiveResourcesInfo()
    .filter((kind) => kind === 'TCPSocketWrap' || kind === 'Timeout')
    .sort();

describe('the cluster bus when Redis fails', () => {
  it('publish and subscribe reject promptly while Redis is down, and everything flows again after it restarts', async () => {
    const redis = await ownRedis();
    const channel = `${uniquePrefix()}:all`;
    const errors: Error[] = [];
    const [sender, receiver] = [bus(redis.url, errors), bus(redis.url, errors)];
    const seen: string[] = [];
    const other: string[] = [];
    await receiver.subscribe(channel, (m) => seen.push(m));
    const endOther = await receiver.subscribe(`${channel}:other`, (m) => other.push(m));
    expect(await sender.publish(channel, 'before')).toBe(1);
    await waitFor(() => expect(seen).toEqual(['before']));

    await redis.kill();
    // The drop is noticed when the connection closes; from then on every call is refused at once.
    await waitFor(() => expect(sender.publish(channel, 'while down')).rejects.toThrow(/not reachable/));
    await expect(sender.publish(channel, 'still down')).rejects.toThrow(/not reachable/);
    await waitFor(() => expect(receiver.subscribe(`${channel}:late`, () => {})).rejects.toThrow(/not reachable/));
    expect(errors.length).toBeGreaterThan(0);
    // Ended while Redis is away: it must not come back with the connection.
    await endOther();

    await redis.start();
    // The receiver's subscription comes back with its connection: a publish reaches it again.
    await waitFor(async () => expect(await sender.publish(channel, 'probe')).toBe(1), 10_000);
    expect(await sender.publish(channel, 'after')).toBe(1);
    expect(await sender.publish(`${channel}:other`, 'to the ended one')).toBe(0);
    await waitFor(() => expect(seen.filter((m) => m !== 'probe')).toEqual(['before', 'after']));
    expect(other).toEqual([]);
  });

  it('a Redis that stops answering without closing: calls fail once that is noticed, the connection is reset, and it serves again once Redis goes on', async () => {
    const redis = await ownRedis();
    const channel = `${uniquePrefix()}:all`;
    const errors: Error[] = [];
    const [sender, receiver] = [bus(redis.url, errors, { commandTimeoutMs: 300, connectTimeoutMs: 300 }), bus(redis.url)];
    const seen: string[] = [];
    await receiver.subscribe(channel, (m) => seen.push(m));

    redis.pause();
    await expect(sender.publish(channel, 'unanswered')).rejects.toThrow(/did not answer within 300 ms/);
    expect(errors.some((e) => /did not answer/.test(e.message))).toBe(true);
    // Reset, and the new connection's handshake is not answered either: refused at once, not queued.
    await expect(sender.publish(channel, 'refused')).rejects.toThrow(/not reachable/);

    redis.resume();
    // A rejected publish may still have reached Redis (it was sent): the caller was told "not known delivered", never "delivered".
    await waitFor(async () => expect(await sender.publish(channel, 'answered')).toBe(1), 10_000);
    await waitFor(() => expect(seen.at(-1)).toBe('answered'));
    expect(seen).not.toContain('refused');
  });

  it('a subscriber under a Redis that stalls notices it by its heartbeat, and hears messages again once Redis goes on', async () => {
    const redis = await ownRedis();
    const channel = `${uniquePrefix()}:all`;
    const errors: Error[] = [];
    const [sender, receiver] = [bus(redis.url), bus(redis.url, errors, { commandTimeoutMs: 200, connectTimeoutMs: 300 })];
    const seen: string[] = [];
    await receiver.subscribe(channel, (m) => seen.push(m));

    redis.pause();
    await waitFor(() => expect(errors.some((e) => /did not answer/.test(e.message))).toBe(true), 10_000);
    redis.resume();
    // Its connection was reset and made again, the channel subscribed again: a publish reaches it.
    // Right after the resume Redis may still count the abandoned connection's subscription (it has not
    // yet read that socket's close) while the new one is not subscribed: such a probe is lost, so probe
    // until one arrives, then check that the count is the live subscription alone.
    await waitFor(async () => {
      await sender.publish(channel, 'probe');
      expect(seen).toContain('probe');
    }, 10_000);
    expect(await sender.publish(channel, 'after')).toBe(1);
    await waitFor(() => expect(seen.at(-1)).toBe('after'));
  });

  it('a bus started while Redis is down waits for it boundedly, then fails fast, and connects when Redis comes', async () => {
    const redis = await ownRedis();
    await redis.kill();
    const errors: Error[] = [];
    const node = bus(redis.url, errors, { connectTimeoutMs: 300 });
    await expect(node.publish('x', 'first')).rejects.toThrow(/no connection within 300 ms/);
    await expect(node.publish('x', 'second')).rejects.toThrow(/not reachable/);
    await redis.start();
    await waitFor(async () => expect(await node.publish('x', 'third')).toBe(0), 10_000);
  });
});

describe('closing the cluster bus', () => {
  it('a closed bus refuses calls; closing twice is fine', async () => {
    const redis = await ownRedis();
    const node = createRedisClusterBus({ url: redis.url });
    await node.subscribe(`${uniquePrefix()}:all`, () => {});
    await node.close();
    await expect(node.publish('x', 'y')).rejects.toThrow(/closed/);
    await expect(node.subscribe('x', () => {})).rejects.toThrow(/closed/);
    await node.close();
  });

  it('leaves no socket and no timer behind: connected, reconnecting, never connected, or with a call Redis does not answer', async () => {
    const redis = await ownRedis();
    // What this process holds with no bus: Redis's start-up leaves nothing pending, once settled.
    await waitFor(() => expect(handles()).not.toContain('Timeout'));
    const before = handles();
    const scenarios: Array<[string, (node: RedisClusterBus) => Promise<unknown>]> = [
      ['connected, with a subscription', (node) => node.subscribe(`${uniquePrefix()}:all`, () => {})],
      ['reconnecting after Redis went away', async (node) => {
        await node.publish('x', 'up');
        await redis.kill();
        await waitFor(() => expect(node.publish('x', 'down')).rejects.toThrow(/not reachable/));
        await redis.start();
      }],
      ['waiting for a first connection that does not come', async (node) => {
        await redis.kill();
        void node.publish('x', 'waits').catch(() => {});
      }],
      ['with a publish Redis does not answer', async (node) => {
        await node.publish('x', 'up');
        redis.pause();
        void node.publish('x', 'unanswered').catch(() => {});
      }],
    ];
    for (const [, arrange] of scenarios) {
      if (!redis.running) await redis.start();
      redis.resume();
      // Timers long enough to be seen if close left them armed.
      const node = createRedisClusterBus({ url: redis.url, onError: () => {}, maxReconnectDelayMs: 2_000, commandTimeoutMs: 1_000 });
      await arrange(node);
      await node.close();
      // A destroyed socket lets go of its handle on the next turn of the event loop; nothing else is waited for.
      for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
      expect(handles()).toEqual(before);
      redis.resume();
    }
  });
});
