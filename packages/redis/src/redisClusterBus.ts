import type { ClusterBus } from '@tidings/protocol';
import { frame, redisClusterLog, unframe } from './redisClusterLog.js';
import { errorReporter, openRedisLink, type RedisConnection, type RedisConnectionOptions } from './redisConnection.js';

/** Options of {@link createRedisClusterBus}. */
export interface RedisClusterBusOptions extends RedisConnectionOptions {
  /**
   * The log beside the bus (PROTOCOL.md §shared-sessions): broadcasts and
   * notifies kept in a Redis Stream, so a node taking over a shared legacy
   * session whose home died delivers what it missed. `length` is how many
   * entries it keeps, at least: size it to what the cluster publishes while
   * a dead home is noticed (the session store's nodeTimeoutMs, 6 s by
   * default, plus 2 s). `false` turns it off (a cluster without shared
   * legacy sessions does not need it). Its key is the channel's name with
   * `:log` after it. @default { length: 20_000 }
   */
  readonly log?: { readonly length?: number } | false;
}

/** A cluster bus that can be closed (it owns its Redis connections). */
export interface RedisClusterBus extends ClusterBus {
  /** Ends both connections and every timer; calls made after reject. The server calls it after it closed. */
  close(): Promise<void>;
}

/**
 * The cluster bus on Redis pub/sub (DESIGN.md §8): one connection
 * publishes, a second one subscribes (a subscribed Redis connection can do
 * nothing else). Redis delivers each message once to every subscribed
 * connection, in publish order per publishing connection.
 *
 * While Redis is unreachable `publish` and `subscribe` reject at once, so
 * nothing is counted as delivered that was not; the connections come back
 * with backoff and every subscription with them. What was published while a
 * node's subscriber was away is not delivered to it afterwards (Redis pub/sub
 * keeps nothing): PROTOCOL.md §cluster says what a node does about it.
 */
export function createRedisClusterBus(options: RedisClusterBusOptions): RedisClusterBus {
  const onError = errorReporter(options);
  /** Listeners per channel; Redis holds one subscription per channel, whatever the number of listeners. */
  const channels = new Map<string, Set<(message: string, entry?: string) => void>>();

  const dispatch = (raw: string, channel: string): void => {
    const listeners = channels.get(channel);
    if (!listeners) return;
    const { message, entry } = unframe(raw);
    for (const listener of listeners) {
      // A listener that throws must not break node-redis's reply parsing, nor starve the next listener.
      try {
        listener(message, entry);
      } catch (error) {
        onError(error instanceof Error ? error : new Error(String(error)));
      }
    }
  };

  // A new connection knows no channel: subscribe it to every one that has listeners before it is used.
  const resubscribe = async (client: RedisConnection): Promise<void> => {
    if (channels.size > 0) await client.subscribe([...channels.keys()], dispatch);
  };

  const publisher = openRedisLink(options);
  const subscriber = openRedisLink(options, resubscribe);
  let closed = false;
  const logOptions = options.log === false ? undefined : (options.log ?? {});
  const kept = logOptions && redisClusterLog(publisher, Math.max(1, logOptions.length ?? 20_000));

  // A subscriber sends nothing, so a Redis that stalls under it would go unnoticed and the node deaf:
  // a PING every commandTimeoutMs gives the stall watch an answer to wait for.
  const heartbeatMs = Math.max(1, options.commandTimeoutMs ?? 5_000);
  let heartbeat: ReturnType<typeof setTimeout> | undefined;
  const beat = (): void => {
    heartbeat = setTimeout(() => {
      heartbeat = undefined;
      const ping = subscriber.ready && channels.size > 0 ? subscriber.call('ping', (client) => client.ping()) : Promise.resolve('');
      void ping.catch(() => {}).then(() => {
        if (!closed) beat();
      });
    }, heartbeatMs);
  };
  beat();

  const refuseClosed = (): Promise<never> => Promise.reject(new Error('the Redis cluster bus is closed'));
  return {
    ...(kept && { log: { publish: (channel, message) => (closed ? refuseClosed() : kept.publish(channel, message)), read: (channel, after, count) => (closed ? refuseClosed() : kept.read(channel, after, count)) } }),
    publish(channel, message) {
      if (closed) return refuseClosed();
      return publisher.call('publish', (client) => client.publish(channel, frame(message)));
    },
    async subscribe(channel, listener) {
      if (closed) throw new Error('the Redis cluster bus is closed');
      // Our own function per subscription: ending it leaves any other listener of the channel on.
      const own = (message: string, entry?: string): void => listener(message, entry);
      let listeners = channels.get(channel);
      if (!listeners) channels.set(channel, (listeners = new Set()));
      // In the map before SUBSCRIBE is sent, so a concurrent end of the channel's last listener does not unsubscribe it.
      listeners.add(own);
      const end = async (): Promise<void> => {
        if (!listeners.delete(own)) return;
        if (listeners.size > 0 || channels.get(channel) !== listeners) return;
        channels.delete(channel);
        // A connection that dropped meanwhile comes back without this channel (resubscribe reads the map).
        if (subscriber.ready) await subscriber.call('unsubscribe', (client) => client.unsubscribe(channel, dispatch));
      };
      try {
        await subscriber.call('subscribe', (client) => client.subscribe(channel, dispatch));
      } catch (error) {
        await end().catch(() => {});
        throw error;
      }
      // Removed at once, so it hears nothing more, even while Redis is away and UNSUBSCRIBE cannot be sent.
      return end;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(heartbeat);
      heartbeat = undefined;
      channels.clear();
      await Promise.all([publisher.close(), subscriber.close()]);
    },
  };
}
