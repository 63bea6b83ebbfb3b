import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/errors.js';
import {
  cancelTask,
  completeTask,
  createTask,
  describeTask,
  failTask,
  isTerminal,
  requireInput,
  resumeTask,
  type DetailedTask,
} from '../../src/tasks/taskState.js';
import { createMemoryTaskStore } from '../../src/tasks/taskStore.js';
import { createFakeClock } from '../helpers/fakeClock.js';

const ASK = { method: 'elicitation/create', params: { message: 'x' } };
const fresh = (taskId = 't', now = 0, ttlMs: number | null = 1_000): DetailedTask => createTask({ taskId, now, ttlMs, pollIntervalMs: 100 });

/** Every transition, as a step a property test can take. */
const STEPS = {
  describe: (task: DetailedTask, now: number) => describeTask(task, 'note', now),
  require: (task: DetailedTask, now: number) => requireInput(task, { [`k${now}`]: ASK }, now),
  resume: (task: DetailedTask, now: number) => resumeTask(task, now),
  complete: (task: DetailedTask, now: number) => completeTask(task, { content: [] }, now),
  fail: (task: DetailedTask, now: number) => failTask(task, { code: -32603, message: 'boom' }, now),
  cancel: (task: DetailedTask, now: number) => cancelTask(task, now),
} as const;

describe('the task state machine (ext-tasks §Task Status)', () => {
  it('starts working and moves working ⇄ input_required → terminal', () => {
    let task = fresh();
    expect(task).toEqual({ taskId: 't', status: 'working', createdAt: '1970-01-01T00:00:00.000Z', lastUpdatedAt: '1970-01-01T00:00:00.000Z', ttlMs: 1_000, pollIntervalMs: 100 });
    task = requireInput(task, { a: ASK }, 5);
    expect(task).toMatchObject({ status: 'input_required', inputRequests: { a: ASK }, lastUpdatedAt: '1970-01-01T00:00:00.005Z' });
    task = resumeTask(task, 6);
    expect(task.status).toBe('working');
    expect(task).not.toHaveProperty('inputRequests');
    task = completeTask(task, { content: [] }, 7);
    expect(task).toMatchObject({ status: 'completed', result: { content: [] }, createdAt: '1970-01-01T00:00:00.000Z' });
    expect(isTerminal(task)).toBe(true);
  });

  it('refuses every transition out of a terminal status with a ProtocolError', () => {
    for (const end of [STEPS.complete, STEPS.fail, STEPS.cancel]) {
      const terminal = end(fresh(), 1);
      for (const step of Object.values(STEPS)) expect(() => step(terminal, 2)).toThrow(ProtocolError);
    }
  });

  it('refuses resume from working and an empty input_required', () => {
    expect(() => resumeTask(fresh(), 1)).toThrow(ProtocolError);
    expect(() => requireInput(fresh(), {}, 1)).toThrow(ProtocolError);
  });

  it('any sequence of transitions yields a valid task or a ProtocolError, and never leaves a terminal status', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...(Object.keys(STEPS) as Array<keyof typeof STEPS>)), { maxLength: 20 }), (steps) => {
        let task = fresh();
        let now = 0;
        for (const step of steps) {
          const wasTerminal = isTerminal(task);
          try {
            task = STEPS[step](task, ++now);
          } catch (error) {
            expect(error).toBeInstanceOf(ProtocolError);
            continue;
          }
          expect(wasTerminal).toBe(false);
          expect(task.taskId).toBe('t');
          expect(task.createdAt).toBe('1970-01-01T00:00:00.000Z');
          expect(task.status === 'input_required').toBe('inputRequests' in task);
          expect(task.status === 'completed').toBe('result' in task);
          expect(task.status === 'failed').toBe('error' in task);
        }
      }),
    );
  });
});

describe('the in-memory task store', () => {
  it('drops a task once its ttlMs from creation passed, and keeps one with no TTL; it arms no timer', async () => {
    const clock = createFakeClock();
    const store = createMemoryTaskStore({ clock });
    await store.create(fresh('short', 0, 1_000));
    await store.create(fresh('forever', 0, null));
    await clock.advance(999);
    expect(await store.get('short')).toBeDefined();
    await clock.advance(1);
    expect(await store.get('short')).toBeUndefined();
    expect(await store.update(completeTask(fresh('short'), {}, 1))).toBe(false);
    expect(await store.get('forever')).toBeDefined();
    expect(clock.pendingTimers).toBe(0);
  });

  it('is bounded by count: the oldest terminal task goes first, else the oldest', async () => {
    const clock = createFakeClock();
    const store = createMemoryTaskStore({ clock, maxTasks: 3 });
    await store.create(fresh('a'));
    await store.create(fresh('b'));
    await store.create(fresh('c'));
    await store.update(completeTask(fresh('b'), {}, 1));
    await store.create(fresh('d'));
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBeDefined();
    await store.create(fresh('e'));
    expect(await store.get('a')).toBeUndefined();
    expect((await Promise.all(['c', 'd', 'e'].map((id) => store.get(id)))).every(Boolean)).toBe(true);
  });

  it('update replaces a stored task and reports an unknown one', async () => {
    const store = createMemoryTaskStore({ clock: createFakeClock() });
    await store.create(fresh('x'));
    expect(await store.update(cancelTask(fresh('x'), 1))).toBe(true);
    expect((await store.get('x'))?.status).toBe('cancelled');
    expect(await store.update(fresh('y'))).toBe(false);
  });
});
