import type { OpenedSession, SessionStore } from '@tidings/http';
import type { SharedSessionState } from '@tidings/protocol';
import { openRedisLink, type RedisConnectionOptions } from './redisConnection.js';
import { redisScript } from './redisScript.js';

/** Options of {@link createRedisSessionStore}. */
export interface RedisSessionStoreOptions extends RedisConnectionOptions {
  /** Prefix of the keys: `<prefix>:session:<id>` per session, `<prefix>:alive:<nodeId>` per node. @default 'tidings' */
  readonly keyPrefix?: string;
  /**
   * How long a node counts as alive after its last sign of life; a session
   * whose home has been silent this long is taken over by the next node that
   * opens it. A node signs every third of it while it runs. @default 6000
   */
  readonly nodeTimeoutMs?: number;
}

/** A session store that can be closed (it owns its Redis connection and the node's sign-of-life timer). */
export interface RedisSessionStore extends SessionStore {
  close(): Promise<void>;
}

// Reads a session for a node, refreshes its TTL when asked, and hands its home to the node when the home is not alive.
// KEYS[1] the session; ARGV: node id, TTL ms or '', alive-key prefix, node timeout ms.
const OPEN = redisScript(`
redis.call('SET', ARGV[3] .. ARGV[1], '1', 'PX', ARGV[4])
local v = redis.call('HMGET', KEYS[1], 'st', 'h', 'g', 'c')
if not v[1] then return false end
if ARGV[2] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
local home = v[2]
if home ~= ARGV[1] and redis.call('EXISTS', ARGV[3] .. home) == 0 then
  redis.call('HSET', KEYS[1], 'h', ARGV[1])
  home = ARGV[1]
end
return {v[1], home, v[3] or '-1', v[4] or '0'}`);

// Keeps a new session with its creation time by Redis's clock (the clock of the bus log's entry ids).
// KEYS[1] the session, KEYS[2] the node's alive key; ARGV: state JSON, node id, TTL ms, node timeout ms.
const CREATE = redisScript(`
redis.call('SET', KEYS[2], '1', 'PX', ARGV[4])
local t = redis.call('TIME')
redis.call('HSET', KEYS[1], 'st', ARGV[1], 'h', ARGV[2], 'g', '-1', 'c', string.format('%d', t[1] * 1000 + math.floor(t[2] / 1000)))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 0`);

// KEYS[1] the session; ARGV: state JSON, TTL ms. 1 when the session was there.
const UPDATE = redisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'st', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`);

// KEYS[1] the session; ARGV[1] a seq. Keeps the highest.
const DELIVERED = redisScript(`
local g = tonumber(redis.call('HGET', KEYS[1], 'g') or '-1')
if g ~= nil and tonumber(ARGV[1]) > g and redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'g', ARGV[1]) end
return 0`);

/**
 * Legacy sessions on Redis, so every node of a cluster serves every session
 * (PROTOCOL.md §shared-sessions): one HASH per session (its state as JSON,
 * its home node, the GET stream's delivered seq) that expires after the
 * session's idle timeout, refreshed by activity on any node; one key per
 * node that calls the store, refreshed while it runs, tells whether a home
 * is alive. Reading a session and taking over its home is one script, so
 * two nodes never both take it. The scripts touch keys they compute
 * (the home's alive key): a single Redis or a replicated primary, not
 * Redis Cluster.
 */
export function createRedisSessionStore(options: RedisSessionStoreOptions): RedisSessionStore {
  const link = openRedisLink(options);
  const prefix = options.keyPrefix ?? 'tidings';
  const nodeTimeoutMs = Math.max(10, options.nodeTimeoutMs ?? 6_000);
  const key = (sessionId: string): string => `${prefix}:session:${sessionId}`;
  const alivePrefix = `${prefix}:alive:`;
  const nodes = new Set<string>();
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  const report = options.onError ?? (() => {});

  /** Signs of life for every node that used the store, while the store is open. */
  const alive = (nodeId: string): void => {
    if (nodes.has(nodeId)) return;
    nodes.add(nodeId);
    heartbeat ??= setInterval(() => {
      for (const node of nodes) {
        link.call('sign of life', (redis) => redis.set(alivePrefix + node, '1', { PX: nodeTimeoutMs })).catch((error: Error) => report(error));
      }
    }, Math.max(5, Math.floor(nodeTimeoutMs / 3)));
    (heartbeat as { unref?: () => void }).unref?.();
  };

  return {
    async create(sessionId, state, nodeId, ttlMs) {
      alive(nodeId);
      await link.call('store a session', (redis) =>
        CREATE(redis, [key(sessionId), alivePrefix + nodeId], [JSON.stringify(state), nodeId, String(Math.max(1, ttlMs)), String(nodeTimeoutMs)]),
      );
    },
    async update(sessionId, state, ttlMs) {
      const found = await link.call('update a session', (redis) => UPDATE(redis, [key(sessionId)], [JSON.stringify(state), String(Math.max(1, ttlMs))]));
      return found === 1;
    },
    async open(sessionId, nodeId, ttlMs): Promise<OpenedSession | undefined> {
      alive(nodeId);
      const ttl = ttlMs === undefined ? '' : String(Math.max(1, ttlMs));
      const found = (await link.call('read a session', (redis) =>
        OPEN(redis, [key(sessionId)], [nodeId, ttl, alivePrefix, String(nodeTimeoutMs)]),
      )) as [string, string, string, string] | null;
      if (!found) return undefined;
      return { state: JSON.parse(found[0]) as SharedSessionState, home: found[1] === nodeId, delivered: Number(found[2]), created: Number(found[3]) };
    },
    async delivered(sessionId, seq) {
      await link.call('note a delivery', (redis) => DELIVERED(redis, [key(sessionId)], [String(seq)]));
    },
    async delete(sessionId) {
      await link.call('forget a session', (redis) => redis.del(key(sessionId)));
    },
    async alive(nodeId) {
      return (await link.call('check a node', (redis) => redis.exists(alivePrefix + nodeId))) === 1;
    },
    async leave(nodeId) {
      nodes.delete(nodeId);
      await link.call('sign off', (redis) => redis.del(alivePrefix + nodeId));
    },
    async close() {
      if (heartbeat !== undefined) clearInterval(heartbeat);
      heartbeat = undefined;
      // A node that stops cleanly hands its homes over at once, not after nodeTimeoutMs.
      const stopping = [...nodes];
      nodes.clear();
      if (stopping.length > 0) await link.call('sign off', (redis) => redis.del(stopping.map((n) => alivePrefix + n))).catch(() => {});
      await link.close();
    },
  };
}
