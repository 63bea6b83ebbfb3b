import { describe, expect, it } from 'vitest';
import type { DetailedTask } from '../../src/tasks/taskState.js';
import type { TaskStore } from '../../src/tasks/taskStore.js';

/** Makes a fresh, empty store for one test; the caller releases it after the test. */
export type TaskStoreMaker = () => TaskStore;

const task = (taskId: string, ttlMs: number | null, status: 'working' | 'completed' = 'working'): DetailedTask =>
  ({
    taskId,
    status,
    ttlMs,
    createdAt: '2026-12-03T00:00:00Z',
    lastUpdatedAt: '2026-12-03T00:00:00Z',
    ...(status === 'completed' ? { result: { content: [] } } : {}),
  }) as unknown as DetailedTask;

/**
 * What every {@link TaskStore} does, whatever keeps the tasks: the in-memory
 * store (packages/protocol) and the Redis store (packages/redis) run it.
 */
export function describeTaskStoreContract(name: string, make: TaskStoreMaker): void {
  describe(`a task store ${name}`, () => {
    it('finds a created task, replaces it on update, and never brings back one it does not have', async () => {
      const store = make();
      await store.create(task('t1', 60_000));
      expect(await store.get('t1')).toEqual(task('t1', 60_000));
      expect(await store.update(task('t1', 60_000, 'completed'))).toBe(true);
      expect(await store.get('t1')).toEqual(task('t1', 60_000, 'completed'));
      expect(await store.update(task('never-created', 60_000))).toBe(false);
      expect(await store.get('never-created')).toBeUndefined();
    });

    it('keeps a task with no TTL, and tasks apart from each other', async () => {
      const store = make();
      await store.create(task('forever', null));
      await store.create(task('other', 60_000));
      expect(await store.update(task('other', 60_000, 'completed'))).toBe(true);
      expect(await store.get('forever')).toEqual(task('forever', null));
    });

    it('forgets a task once its ttl passed, and an update then says it is gone', async () => {
      const store = make();
      await store.create(task('short', 5));
      // Well past the 5 ms TTL; the assertion is about the state after, not about time.
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(await store.get('short')).toBeUndefined();
      expect(await store.update(task('short', 5, 'completed'))).toBe(false);
      expect(await store.get('short')).toBeUndefined();
    });

    it('an update keeps the lifetime the task was created with', async () => {
      const store = make();
      await store.create(task('brief', 40));
      expect(await store.update(task('brief', 40, 'completed'))).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect(await store.get('brief')).toBeUndefined();
    });
  });
}
