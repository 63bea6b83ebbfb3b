import type { EventStore, StoredEvent } from '@tidings/http';
import { closeConnection, openStoreConnection, type RedisConnectionOptions } from './redisConnection.js';

/** Options of {@link createRedisEventStore}. */
export interface RedisEventStoreOptions extends RedisConnectionOptions {
  /** Prefix of the keys, one Redis Stream per session (`<prefix>:events:<sessionId>`). @default 'tidings' */
  readonly keyPrefix?: string;
  /** Events kept per session; the oldest go first (XADD MAXLEN). @default 2_000 */
  readonly maxEventsPerSession?: number;
  /** Events older than this are not replayed, and a session's log idle this long is dropped. @default 300_000 (5 min) */
  readonly maxAgeMs?: number;
}

/** An event store that can be closed (it owns its Redis connection). */
export interface RedisEventStore extends EventStore {
  close(): Promise<void>;
}

/**
 * A legacy session's SSE events in a Redis Stream, so a client that
 * reconnects with `Last-Event-ID` is resumed by any node (DESIGN.md §8).
 * Same bounds as the in-memory store (count and age per session); a resume
 * from before what is kept is reported by the handler as for the in-memory
 * store (PROTOCOL.md §resume-horizon).
 */
export function createRedisEventStore(options: RedisEventStoreOptions): RedisEventStore {
  const { redis, ready } = openStoreConnection(options);
  const maxEvents = Math.max(1, options.maxEventsPerSession ?? 2_000);
  const maxAge = options.maxAgeMs ?? 300_000;
  const key = (sessionId: string): string => `${options.keyPrefix ?? 'tidings'}:events:${sessionId}`;

  return {
    async append(sessionId, event) {
      await ready('keep an event');
      const fields = { s: event.streamId, q: String(event.seq), d: event.data, p: String(event.position) };
      await redis
        .multi()
        .xAdd(key(sessionId), '*', fields, { TRIM: { strategy: 'MAXLEN', strategyModifier: '=', threshold: maxEvents } })
        .pExpire(key(sessionId), maxAge)
        .exec();
    },
    async replay(sessionId, streamId, afterSeq) {
      await ready('replay events');
      // Entry ids start with Redis's clock in ms: older than the horizon by that clock, never replayed.
      const [seconds, micros] = await redis.time();
      const oldest = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - maxAge;
      const found: StoredEvent[] = [];
      for (const entry of await redis.xRange(key(sessionId), `${Math.max(0, oldest)}-0`, '+')) {
        const { s, q, d, p } = entry.message as Record<string, string>;
        const seq = Number(q);
        if (s === streamId && seq > afterSeq) found.push({ streamId, seq, data: d ?? '', position: Number(p) });
      }
      return found;
    },
    async deleteSession(sessionId) {
      await ready('forget a session');
      await redis.del(key(sessionId));
    },
    close: () => closeConnection(redis),
  };
}
