import type { DetailedTask, TaskStore } from '@tidings/protocol';
import { closeConnection, openStoreConnection, type RedisConnectionOptions } from './redisConnection.js';

/** Options of {@link createRedisTaskStore}. */
export interface RedisTaskStoreOptions extends RedisConnectionOptions {
  /** Prefix of the keys, one per task (`<prefix>:task:<taskId>`). @default 'tidings' */
  readonly keyPrefix?: string;
  /**
   * Replicas that must hold a new task before `create` resolves (Redis
   * `WAIT`): with replicas, a `tasks/get` served by a node reading from
   * one finds the task. @default 0 (the primary alone)
   */
  readonly replicas?: number;
}

/** A task store that can be closed (it owns its Redis connection). */
export interface RedisTaskStore extends TaskStore {
  close(): Promise<void>;
}

/**
 * Tasks on Redis, so `tasks/get`, `tasks/update` and `tasks/cancel` work on
 * any node (ext-tasks §Task Creation, durable creation). One key per task
 * holding its JSON, expiring with its `ttlMs`; `update` keeps the time left.
 * Redis evicts by its own `maxmemory` policy: set one that keeps volatile
 * keys bounded, as the in-memory store is bounded by `maxTasks`.
 */
export function createRedisTaskStore(options: RedisTaskStoreOptions): RedisTaskStore {
  const { redis, ready } = openStoreConnection(options);
  const key = (taskId: string): string => `${options.keyPrefix ?? 'tidings'}:task:${taskId}`;

  return {
    async create(task) {
      await ready('store a task');
      const stored = await redis.set(key(task.taskId), JSON.stringify(task), task.ttlMs === null ? { NX: true } : { NX: true, PX: Math.max(1, task.ttlMs) });
      if (stored === null) throw new Error(`a task with id ${task.taskId} already exists`);
      if (options.replicas) await redis.wait(options.replicas, options.connectTimeoutMs ?? 5_000);
    },
    async get(taskId) {
      await ready('read a task');
      const json = await redis.get(key(taskId));
      return json === null ? undefined : (JSON.parse(json) as DetailedTask);
    },
    async update(task) {
      await ready('update a task');
      // XX: never brings back a task that expired; KEEPTTL: the task keeps the lifetime it was created with.
      return (await redis.set(key(task.taskId), JSON.stringify(task), { XX: true, KEEPTTL: true })) !== null;
    },
    close: () => closeConnection(redis),
  };
}
