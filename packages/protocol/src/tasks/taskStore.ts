import { systemClock, type Clock } from '../clock.js';
import { isTerminal, type DetailedTask } from './taskState.js';

/**
 * Where a server keeps its tasks. `tasks/get` reads only the store, so a store
 * shared between nodes (Redis) lets any node answer for a task; the node that
 * runs the work writes each change through `update`.
 */
export interface TaskStore {
  /**
   * Stores a new task. The promise settles once a `get` on any node would
   * find it: the server returns `CreateTaskResult` only after that (ext-tasks
   * §Task Creation, durable creation).
   */
  create(task: DetailedTask): Promise<void>;
  /** The task as last stored; undefined when unknown, expired or evicted. */
  get(taskId: string): Promise<DetailedTask | undefined>;
  /**
   * Replaces a stored task (same `taskId`). Resolves false when the task is
   * gone (expired or evicted): the server then stops its work.
   */
  update(task: DetailedTask): Promise<boolean>;
  /**
   * Optional, for a store the nodes of a cluster share: keeps which
   * 2025-11-25 session a task belongs to (2025-11-25 tasks §security), so
   * every node serving the session (PROTOCOL.md §shared-sessions) enforces
   * it and lists the session's tasks. Without it, each node knows the tasks
   * made on it.
   */
  readonly owners?: TaskOwnerStore;
}

/** Which 2025-11-25 session each task belongs to, kept beside the tasks. */
export interface TaskOwnerStore {
  /** Records a task of `owner`, just created; kept as long as the task (`ttlMs`; null: until the session ends). */
  add(taskId: string, owner: string, ttlMs: number | null): Promise<void>;
  ownerOf(taskId: string): Promise<string | undefined>;
  /** Up to `size` task ids of `owner` recorded after position `after`, oldest first, and the position after the last. */
  page(owner: string, after: number, size: number): Promise<{ readonly taskIds: readonly string[]; readonly next: number | undefined }>;
}

/** Options of {@link createMemoryTaskStore}. */
export interface MemoryTaskStoreOptions {
  /**
   * Most tasks kept; creating one more evicts the oldest terminal task, or
   * the oldest task when none is terminal. @default 10000
   */
  readonly maxTasks?: number;
  /** Time for TTL expiry. @default systemClock */
  readonly clock?: Clock;
}

interface Entry {
  task: DetailedTask;
  /** Clock time after which the task is gone; Infinity for an unlimited TTL. */
  readonly expiresAt: number;
}

/**
 * The default task store: one process's memory, bounded by count, each task
 * dropped once its `ttlMs` from creation has passed. Expiry is checked when a
 * task is read and when one is created, so the store arms no timer at all.
 */
export function createMemoryTaskStore(options: MemoryTaskStoreOptions = {}): TaskStore {
  const maxTasks = Math.max(1, options.maxTasks ?? 10_000);
  const clock = options.clock ?? systemClock;
  // Insertion order is creation order: the first entries are the oldest.
  const entries = new Map<string, Entry>();

  const live = (taskId: string): Entry | undefined => {
    const entry = entries.get(taskId);
    if (entry && clock.now() >= entry.expiresAt) {
      entries.delete(taskId);
      return undefined;
    }
    return entry;
  };

  const makeRoom = (): void => {
    const now = clock.now();
    for (const [id, entry] of entries) if (now >= entry.expiresAt) entries.delete(id);
    if (entries.size < maxTasks) return;
    let victim: string | undefined;
    for (const [id, entry] of entries) {
      if (isTerminal(entry.task)) {
        victim = id;
        break;
      }
    }
    entries.delete(victim ?? (entries.keys().next().value as string));
  };

  return {
    async create(task) {
      if (entries.size >= maxTasks) makeRoom();
      const expiresAt = task.ttlMs === null ? Infinity : clock.now() + task.ttlMs;
      entries.set(task.taskId, { task, expiresAt });
    },
    async get(taskId) {
      return live(taskId)?.task;
    },
    async update(task) {
      const entry = live(task.taskId);
      if (!entry) return false;
      entry.task = task;
      return true;
    },
  };
}
