import type { ClusterBus } from '@tidings/protocol';
import { closeConnection, connectInBackground, openRedisConnection, requireReady, whenReady, type RedisConnectionOptions } from './redisConnection.js';

/** A cluster bus that can be closed (it owns its Redis connections). */
export interface RedisClusterBus extends ClusterBus {
  /** Ends both connections; later calls reject. */
  close(): Promise<void>;
}

/**
 * The cluster bus on Redis pub/sub (DESIGN.md §8): one connection publishes,
 * a second one subscribes (a subscribed Redis connection can do nothing
 * else). Redis delivers each message once to every subscribed node, in
 * publish order per connection. While Redis is unreachable `publish` and
 * `subscribe` reject at once; the connections come back on their own and
 * the subscriptions with them.
 */
export function createRedisClusterBus(options: RedisConnectionOptions): RedisClusterBus {
  const onError = options.onError ?? ((error: Error) => void globalThis.console?.error?.('[tidings/redis]', error.message));
  const publisher = openRedisConnection({ ...options, onError });
  const subscriber = publisher.duplicate();
  subscriber.on('error', onError);
  connectInBackground(publisher, onError);
  connectInBackground(subscriber, onError);
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  let startedUp = false;
  publisher.once('ready', () => (startedUp = true));
  let closed = false;
  return {
    async publish(channel, message) {
      if (closed) throw new Error('the Redis cluster bus is closed');
      // The first connection is waited for (a node's first broadcast may come right after it starts);
      // once Redis has been reached, a call while it is away rejects at once.
      if (startedUp) requireReady(publisher, 'publish');
      else await whenReady(publisher, connectTimeoutMs, 'publish');
      return publisher.publish(channel, message);
    },
    async subscribe(channel, listener) {
      if (closed) throw new Error('the Redis cluster bus is closed');
      // A node starting up subscribes while its connection is still being made: wait for it, boundedly.
      await whenReady(subscriber, connectTimeoutMs, 'subscribe');
      // Our own function per subscription: unsubscribing it leaves any other listener of the channel on.
      const own = (message: string): void => listener(message);
      await subscriber.subscribe(channel, own);
      return async () => {
        if (subscriber.isReady) await subscriber.unsubscribe(channel, own);
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([closeConnection(publisher), closeConnection(subscriber)]);
    },
  };
}
