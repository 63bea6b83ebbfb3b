import type { DetailedTask, TaskOwnerStore, TaskStore } from '@tidings/protocol';
import { openRedisLink, type RedisConnectionOptions, type RedisLink } from './redisConnection.js';

/** Options of {@link createRedisTaskStore}. */
export interface RedisTaskStoreOptions extends RedisConnectionOptions {
  /** Prefix of the keys, one per task (`<prefix>:task:<taskId>`). @default 'tidings' */
  readonly keyPrefix?: string;
  /**
   * Replicas that must hold a new task before `create` resolves (Redis
   * `WAIT`), for deployments whose nodes read from replicas: a `tasks/get`
   * served there then finds the task. With 0 the primary's answer is
   * enough, as every read goes to it. @default 0
   */
  readonly replicas?: number;
  /** How long `create` waits for those replicas; keep it below `commandTimeoutMs`. @default 1000 */
  readonly replicaTimeoutMs?: number;
}

/** A task store that can be closed (it owns its Redis connection). */
export interface RedisTaskStore extends TaskStore {
  /** Ends the connection and its timers; the server's owner calls it after the server closed. */
  close(): Promise<void>;
}

/**
 * Tasks on Redis, so `tasks/get`, `tasks/result` and `tasks/cancel` work on
 * any node (ext-tasks §Task Creation, durable creation). One key per task
 * holding its JSON, expiring with its `ttlMs` (SET NX PX); `update` keeps the
 * time left (SET XX KEEPTTL), so it never brings back a task that expired.
 * The in-memory store is bounded by `maxTasks`; here Redis's `maxmemory`
 * with a `volatile-*` policy bounds the tasks that have a TTL, and a task
 * created with `ttlMs: null` stays until deleted: give tasks a TTL.
 */
export function createRedisTaskStore(options: RedisTaskStoreOptions): RedisTaskStore {
  const link = openRedisLink(options);
  const prefix = options.keyPrefix ?? 'tidings';
  const key = (taskId: string): string => `${prefix}:task:${taskId}`;
  const replicas = Math.max(0, options.replicas ?? 0);
  const replicaTimeoutMs = Math.max(1, options.replicaTimeoutMs ?? 1_000);

  return {
    async create(task) {
      const id = key(task.taskId);
      const stored = await link.call('store a task', (redis) =>
        redis.set(id, JSON.stringify(task), task.ttlMs === null ? { NX: true } : { NX: true, PX: Math.max(1, task.ttlMs) }),
      );
      // Ids are the server's random UUIDs: a clash is a bug, and overwriting would hand one task's result to another's caller.
      if (stored === null) throw new Error(`a task with id ${task.taskId} already exists`);
      if (replicas === 0) return;
      const acknowledged = await link.call('store a task on replicas', (redis) => redis.wait(replicas, replicaTimeoutMs));
      if (acknowledged < replicas) {
        // Not durable as promised: the caller answers with an error, so the task must not linger either.
        await link.call('withdraw a task', (redis) => redis.del(id)).catch(() => {});
        throw new Error(`a task was stored on ${acknowledged} of ${replicas} replicas within ${replicaTimeoutMs} ms`);
      }
    },
    async get(taskId) {
      const json = await link.call('read a task', (redis) => redis.get(key(taskId)));
      return json === null ? undefined : (JSON.parse(json) as DetailedTask);
    },
    async update(task) {
      const stored = await link.call('update a task', (redis) => redis.set(key(task.taskId), JSON.stringify(task), { XX: true, KEEPTTL: true }));
      return stored !== null;
    },
    owners: redisTaskOwners(link, prefix),
    close: () => link.close(),
  };
}

/**
 * Which 2025-11-25 session owns each task, for every node serving the
 * session: `<prefix>:task-owner:<taskId>` (expiring with the task) and per
 * session a sorted set of its task ids by a position that only grows
 * (`<prefix>:task-seq`), so a `tasks/list` cursor stays valid while tasks
 * expire. Ids of expired tasks leave the set when a listing skips them.
 */
function redisTaskOwners(link: RedisLink, prefix: string): TaskOwnerStore {
  const ownerKey = (taskId: string): string => `${prefix}:task-owner:${taskId}`;
  const ownedKey = (owner: string): string => `${prefix}:task-owned:${owner}`;
  return {
    async add(taskId, owner, ttlMs) {
      const position = await link.call('number a task', (redis) => redis.incr(`${prefix}:task-seq`));
      await link.call('own a task', (redis) => {
        const batch = redis.multi().set(ownerKey(taskId), owner, ttlMs === null ? {} : { PX: Math.max(1, ttlMs) }).zAdd(ownedKey(owner), { score: position, value: taskId });
        // The listing lives as long as its longest-lived task may.
        if (ttlMs === null) return batch.persist(ownedKey(owner)).exec();
        // NX gives a new listing its TTL; GT only ever lengthens it (GT alone leaves a key with none untouched).
        return batch.pExpire(ownedKey(owner), Math.max(1, ttlMs), 'NX').pExpire(ownedKey(owner), Math.max(1, ttlMs), 'GT').exec();
      });
    },
    async ownerOf(taskId) {
      return (await link.call('read a task owner', (redis) => redis.get(ownerKey(taskId)))) ?? undefined;
    },
    async page(owner, after, size) {
      const found = await link.call('list owned tasks', (redis) =>
        redis.zRangeWithScores(ownedKey(owner), `(${after}`, '+inf', { BY: 'SCORE', LIMIT: { offset: 0, count: size + 1 } }),
      );
      const taken = found.slice(0, size);
      return { taskIds: taken.map((entry) => entry.value), next: found.length > size ? taken.at(-1)!.score : undefined };
    },
  };
}
