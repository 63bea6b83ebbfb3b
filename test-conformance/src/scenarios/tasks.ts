import { ProtocolError, type Client, type TaskStatusUpdate } from '@tidings/protocol';
import { z } from 'zod';
import { check, checkEqual } from '../assert.js';
import type { ConnectedClient, Scenario, SpecReference } from '../types.js';

/** Polling fast enough for a scenario: the reference server suggests 1 s, and a task that is not pushed is polled. */
const POLL = { pollIntervalMs: 50 } as const;

const SPEC: readonly SpecReference[] = [
  { revision: '2026-07-28', section: 'ext-tasks (io.modelcontextprotocol/tasks)' },
  { revision: '2025-11-25', section: 'basic/utilities/tasks' },
];

/** A 2025-11-25 `tasks/list` answer, as much of it as the scenario reads. */
const TaskListSchema = z.looseObject({
  tasks: z.array(z.looseObject({ taskId: z.string(), status: z.string() })),
  nextCursor: z.string().optional(),
});

/** The Tidings client of a connected client (the scenarios require `tidingsClient`). */
function tidingsOf(connected: ConnectedClient): Client {
  check(connected.tidings, 'the client under test should be the Tidings client');
  return connected.tidings;
}

/** What a call to a task that must fail rejected with. */
async function failureOf(result: Promise<unknown>): Promise<ProtocolError> {
  const error = await result.then(
    () => undefined,
    (e: unknown) => e,
  );
  check(error instanceof ProtocolError, `the task's result should reject with a ProtocolError, got ${String(error)}`);
  return error;
}

export const taskScenarios: Scenario[] = [
  {
    id: 'task-handle-result',
    title: 'a tool called as a task gives a handle at once; its statuses end completed and its result is the tool\'s',
    eras: ['legacy', 'modern'],
    requires: ['referenceServer', 'tidingsClient'],
    spec: SPEC,
    async run(h) {
      const client = tidingsOf(await h.client());
      const task = await client.callTool('slow_compute', { seconds: 0.2, label: 'conformance' }, { task: true, ...POLL });
      check(typeof task.taskId === 'string' && task.taskId.length > 0, 'the server should have answered with a task');
      const seen: TaskStatusUpdate[] = [];
      task.onStatus((status) => seen.push(status));
      const result = await task.result;
      checkEqual(result.content, [{ type: 'text', text: 'Computed conformance after 0.2s' }], 'result');
      checkEqual(task.status?.status, 'completed', 'last status');
      check(seen.every((s) => s.taskId === task.taskId), 'every status names the task');
      check(new Set(seen.map((s) => `${s.status} ${s.statusMessage} ${s.lastUpdatedAt}`)).size === seen.length, `no status delivered twice: ${JSON.stringify(seen)}`);
    },
  },
  {
    id: 'task-handle-input',
    title: 'a task that asks for input mid-task gets the client\'s elicitation answer (tasks/update; 2025-11-25: through tasks/result)',
    eras: ['legacy', 'modern'],
    requires: ['referenceServer', 'tidingsClient', 'serverToClientRequests'],
    spec: SPEC,
    async run(h) {
      const asked: string[] = [];
      const client = tidingsOf(
        await h.client({
          onElicitationRequest: (params) => {
            asked.push(params.message);
            return { action: 'accept', content: { confirm: true } };
          },
        }),
      );
      const task = await client.callTool('confirm_delete', { filename: 'notes.txt' }, { task: true, ...POLL });
      checkEqual((await task.result).content, [{ type: 'text', text: 'Deleted notes.txt' }], 'result');
      checkEqual(asked, ['Delete notes.txt?'], 'the user was asked once');
    },
  },
  {
    id: 'task-handle-cancel',
    title: 'cancelling a task ends it cancelled; its result rejects with RequestCancelled',
    eras: ['legacy', 'modern'],
    requires: ['referenceServer', 'tidingsClient'],
    spec: SPEC,
    async run(h) {
      const client = tidingsOf(await h.client());
      const task = await client.callTool('slow_compute', { seconds: 60 }, { task: true, ...POLL });
      await task.cancel();
      checkEqual((await failureOf(task.result)).code, 'RequestCancelled', 'error code');
      checkEqual(task.status?.status, 'cancelled', 'last status');
    },
  },
  {
    id: 'task-handle-failure',
    title: 'a task whose work fails with a JSON-RPC error rejects with it; a tool error is a result with isError',
    eras: ['legacy', 'modern'],
    requires: ['referenceServer', 'tidingsClient'],
    spec: SPEC,
    async run(h) {
      const client = tidingsOf(await h.client());
      const failing = await client.callTool('protocol_error_job', {}, { task: true, ...POLL });
      const error = await failureOf(failing.result);
      checkEqual([error.code, error.message], ['InternalError', 'The job hit a protocol-level failure'], 'error');
      const toolError = await client.callTool('failing_job', {}, { task: true, ...POLL });
      const result = await toolError.result;
      checkEqual([result.isError, result.content], [true, [{ type: 'text', text: 'The job failed: nothing to do' }]], 'tool error result');
    },
  },
  {
    id: 'task-outlives-connection',
    title: 'a task outlives the connection that made it: a new connection follows it by id (tasks/get) to its result',
    eras: ['modern'],
    requires: ['referenceServer', 'tidingsClient', 'multipleClients'],
    spec: [{ revision: '2026-07-28', section: 'ext-tasks §Task Polling (persist task ids; resume after a restart)' }],
    async run(h) {
      const first = tidingsOf(await h.client());
      const task = await first.callTool('slow_compute', { seconds: 0.5, label: 'durable' }, { task: true, ...POLL });
      const taskId = task.taskId;
      check(taskId !== undefined, 'the server should have answered with a task');
      await first.close();
      checkEqual((await failureOf(task.result)).code, 'ConnectionClosed', 'the first handle ends with its client');
      const second = tidingsOf(await h.client());
      const again = second.watchTask(taskId, POLL);
      checkEqual((await again.result).content, [{ type: 'text', text: 'Computed durable after 0.5s' }], 'result on the new connection');
      checkEqual(again.status?.taskId, taskId, 'the same task');
    },
  },
  {
    id: 'task-list-own-session',
    title: 'tasks/list of 2025-11-25 lists the session\'s own tasks, finished ones included, and none of another session',
    eras: ['legacy'],
    requires: ['referenceServer', 'tidingsClient', 'multipleClients'],
    spec: [{ revision: '2025-11-25', section: 'basic/utilities/tasks §Task Listing' }],
    async run(h) {
      const mine = tidingsOf(await h.client());
      const other = tidingsOf(await h.client());
      const done = await mine.callTool('slow_compute', { seconds: 0, label: 'listed' }, { task: true, ...POLL });
      await done.result;
      const running = await mine.callTool('slow_compute', { seconds: 60 }, { task: true, ...POLL });
      const theirs = await other.callTool('slow_compute', { seconds: 60 }, { task: true, ...POLL });
      const listed = await mine.request('tasks/list', {}, TaskListSchema);
      checkEqual(
        listed.tasks.map((t) => [t.taskId, t.status]),
        [
          [done.taskId, 'completed'],
          [running.taskId, 'working'],
        ],
        'my tasks, oldest first',
      );
      checkEqual(listed.nextCursor, undefined, 'one page');
      checkEqual((await other.request('tasks/list', {}, TaskListSchema)).tasks.map((t) => t.taskId), [theirs.taskId], 'the other session\'s');
      await Promise.all([running.cancel(), theirs.cancel()]);
    },
  },
];
