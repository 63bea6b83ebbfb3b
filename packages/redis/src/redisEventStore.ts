import type { SharedEventStore, StoredEvent } from '@tidings/http';
import { openRedisLink, type RedisConnection, type RedisConnectionOptions } from './redisConnection.js';
import { eventOf, FollowLoop } from './redisFollow.js';

/** Options of {@link createRedisEventStore}. */
export interface RedisEventStoreOptions extends RedisConnectionOptions {
  /** Prefix of the keys, one Redis Stream per session (`<prefix>:events:<sessionId>`). @default 'tidings' */
  readonly keyPrefix?: string;
  /** Events kept per session; the oldest go first (XADD MAXLEN). @default 2_000 */
  readonly maxEventsPerSession?: number;
  /** Events older than this are not replayed, and a session's log idle this long is dropped (PEXPIRE). @default 300_000 (5 min) */
  readonly maxAgeMs?: number;
}

/** An event store that can be closed (it owns its Redis connection). */
export interface RedisEventStore extends SharedEventStore {
  /** Ends the connection and its timers; the server's owner calls it after the server closed. */
  close(): Promise<void>;
}

/** Entries read per XREVRANGE: a client that was away briefly misses a few events, and one page finds them. */
const PAGE = 64;

/**
 * A legacy session's SSE events in a Redis Stream, so a client that
 * reconnects with `Last-Event-ID` is resumed by any node (DESIGN.md §8).
 * Same bounds as the in-memory store: count per session (XADD MAXLEN, exact,
 * so a resume from before the kept events is a gap the handler reports:
 * PROTOCOL.md §resume-horizon) and age (entries older than `maxAgeMs` by
 * Redis's clock are not replayed; the key expires once the session has been
 * idle that long). Calls while Redis is unreachable reject; the handler
 * reports them to its `onError` and still writes the event live. Shared
 * legacy sessions follow streams from it (`follow`, on a connection of its
 * own made by the first follow).
 */
export function createRedisEventStore(options: RedisEventStoreOptions): RedisEventStore {
  const link = openRedisLink(options);
  const maxEvents = Math.max(1, options.maxEventsPerSession ?? 2_000);
  const maxAge = Math.max(1, options.maxAgeMs ?? 300_000);
  const prefix = options.keyPrefix ?? 'tidings';
  const key = (sessionId: string): string => `${prefix}:events:${sessionId}`;

  /**
   * Walks a session's log newest first, page by page, while `visit` answers
   * true, down to `floor`; resolves the newest entry id ('0-0' when empty).
   * A short absence reads one page, not the whole log.
   */
  const walkBack = async (redis: RedisConnection, sessionId: string, floor: string, visit: (event: StoredEvent) => boolean): Promise<string> => {
    let newest: string | undefined;
    let end = '+';
    for (let read = 0; read < maxEvents; ) {
      const page = await redis.xRevRange(key(sessionId), end, floor, { COUNT: PAGE });
      newest ??= page[0]?.id;
      for (const entry of page) if (!visit(eventOf(entry.message as Record<string, string>))) return newest ?? '0-0';
      read += page.length;
      if (page.length < PAGE) break;
      end = `(${page[page.length - 1]!.id}`;
    }
    return newest ?? '0-0';
  };

  /**
   * The events of one stream after `afterSeq`, oldest first, and the newest
   * entry id of the session's log (where following it goes on from).
   */
  const read = async (redis: RedisConnection, sessionId: string, streamId: string, afterSeq: number): Promise<{ events: StoredEvent[]; newest: string }> => {
    // Entry ids start with Redis's clock in ms: the horizon is measured by that clock, not this node's.
    const [seconds, micros] = await redis.time();
    const horizon = `${Math.max(0, Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - maxAge)}-0`;
    // Streams written by different nodes interleave, each with its own seqs: only this stream's are compared.
    const found: StoredEvent[] = [];
    const newest = await walkBack(redis, sessionId, horizon, (event) => {
      if (event.streamId !== streamId) return true;
      if (event.seq <= afterSeq) return false;
      found.push(event);
      return true;
    });
    return { events: found.reverse(), newest };
  };
  let loop: FollowLoop | undefined;

  return {
    append(sessionId, event) {
      const fields: Record<string, string> = { s: event.streamId, q: String(event.seq), d: event.data, p: String(event.position) };
      if (event.final) fields.f = '1';
      if (event.entry !== undefined) fields.c = event.entry;
      // MULTI: the trim and the new expiry land with the event, in one round trip.
      return link
        .call('keep an event', (redis) =>
          redis
            .multi()
            .xAdd(key(sessionId), '*', fields, { TRIM: { strategy: 'MAXLEN', strategyModifier: '=', threshold: maxEvents } })
            .pExpire(key(sessionId), maxAge)
            .exec(),
        )
        .then(() => {});
    },
    replay(sessionId, streamId, afterSeq) {
      return link.call('replay events', async (redis) => (await read(redis, sessionId, streamId, afterSeq)).events);
    },
    follow(sessionId, streamId, afterSeq, onEvents, onError) {
      let stop: (() => void) | undefined;
      let stopped = false;
      link.call('replay events', (redis) => read(redis, sessionId, streamId, afterSeq)).then(
        ({ events, newest }) => {
          if (stopped) return;
          onEvents(events);
          loop ??= new FollowLoop(options, link);
          stop = loop.add(key(sessionId), newest, streamId, events.at(-1)?.seq ?? afterSeq, onEvents);
        },
        (error: unknown) => {
          if (!stopped) onError(error);
        },
      );
      return () => {
        stopped = true;
        stop?.();
      };
    },
    tail(sessionId, streamId) {
      return link.call('read a stream\'s tail', async (redis) => {
        let seq = -1;
        let entry: string | undefined;
        await walkBack(redis, sessionId, '-', (event) => {
          if (event.streamId !== streamId) return true;
          if (seq === -1) seq = event.seq;
          entry = event.entry;
          return entry === undefined;
        });
        return { seq, entry };
      });
    },
    deleteSession(sessionId) {
      return link.call('forget a session', (redis) => redis.del(key(sessionId))).then(() => {});
    },
    async close() {
      await loop?.close();
      await link.close();
    },
  };
}
