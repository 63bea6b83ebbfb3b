import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ENDED_TASKS_WINDOW_MS } from '../../src/client/clientTasks.js';
import { createClient, type Client } from '../../src/client/createClient.js';
import type { TaskStatusUpdate, ToolTask } from '../../src/client/taskTypes.js';
import { createMemoryTransportPair } from '../../src/memoryTransport.js';
import { createServer, type Server } from '../../src/server/createServer.js';
import type { Transport } from '../../src/transport.js';
import { createFakeClock, settleOn, type FakeClock } from '../helpers/fakeClock.js';
import { deferred } from './tasksWire.js';

let server: Server | undefined;
let clock: FakeClock;
const clients: Client[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.close();
  server = undefined;
  expect(clock.pendingTimers).toBe(0);
});

/** A server whose task tool `job` ({ n }) finishes when the test calls `finish(n)`. */
function createTaskServer() {
  clock = createFakeClock(Date.UTC(2026, 6, 28));
  server = createServer({ name: 's', version: '1' }, { clock, tasks: { ttlMs: 60_000, pollIntervalMs: 60_000 } });
  const gates = new Map<number, ReturnType<typeof deferred<void>>>();
  const gate = (n: number) => gates.get(n) ?? gates.set(n, deferred<void>()).get(n)!;
  server.tool({ name: 'job', input: z.object({ n: z.number() }), execution: { taskSupport: 'optional' } }, ({ n }, ctx) =>
    ctx.runAsTask(async () => {
      await gate(n).promise;
      return `done ${n}`;
    }),
  );
  return { finish: (n: number) => gate(n).resolve() };
}

/**
 * A modern client whose sent requests are counted by method. With
 * `turnPerMessage`, each message from the server reaches the client in a turn
 * of its own, as separate HTTP responses do (the memory pair delivers a burst in one).
 */
async function connect(turnPerMessage = false): Promise<{ client: Client; count: (method: string) => number }> {
  const [clientSide, serverSide] = createMemoryTransportPair();
  server!.connect(serverSide);
  const sent: string[] = [];
  let delivered = Promise.resolve();
  const later = (deliver: () => void): void => {
    delivered = delivered.then(() => new Promise<void>((resolve) => setImmediate(() => resolve(deliver()))));
  };
  const transport: Transport = {
    start: (sink) =>
      clientSide.start(
        turnPerMessage
          ? { message: (data) => later(() => sink.message(data)), closed: (reason) => later(() => sink.closed(reason)), error: (error) => sink.error(error) }
          : sink,
      ),
    close: (reason) => clientSide.close(reason),
    send(data, options) {
      const method = (JSON.parse(data) as { method?: string }).method;
      if (method) sent.push(method);
      return clientSide.send(data, options);
    },
  };
  const client = createClient({ name: 'c', version: '1' }, { clock, era: 'modern' });
  clients.push(client);
  await settleOn(clock, client.connect(transport));
  return { client, count: (method) => sent.filter((m) => m === method).length };
}

/** Starts `n` tasks at once; each handle records the statuses it is given. */
async function startMany(client: Client, n: number): Promise<Array<{ task: ToolTask; seen: TaskStatusUpdate['status'][] }>> {
  const tasks = await settleOn(clock, Promise.all(Array.from({ length: n }, (_, i) => client.callTool('job', { n: i }, { task: true }))));
  return tasks.map((task) => {
    const seen: TaskStatusUpdate['status'][] = [];
    task.onStatus((s) => seen.push(s.status));
    return { task, seen };
  });
}

describe('the listen subscription of many tasks (PROTOCOL.md §tasks)', () => {
  it('fifty tasks started at once cost a bounded number of listen requests, and each is pushed its terminal status', async () => {
    const { finish } = createTaskServer();
    const { client, count } = await connect(true);
    const handles = await startMany(client, 50);
    const honoured = await settleOn(clock, client.listening());
    expect((honoured as { taskIds?: string[] }).taskIds).toHaveLength(50);
    // The first task opens a subscription; the others fold into the one that follows its acknowledgement.
    expect(count('subscriptions/listen')).toBeLessThanOrEqual(3);

    for (let i = 0; i < 50; i++) finish(i);
    const results = await settleOn(clock, Promise.all(handles.map((h) => h.task.result)));
    expect(results.map((r) => r.content[0])).toEqual(Array.from({ length: 50 }, (_, i) => ({ type: 'text', text: `done ${i}` })));
    for (const { seen } of handles) expect(seen).toEqual(['completed']);
    // The pushes made polling needless: each task was read once, when the subscription took it.
    expect(count('tasks/get')).toBeLessThanOrEqual(50);
    const before = count('subscriptions/listen');
    await clock.advance(ENDED_TASKS_WINDOW_MS);
    // Nothing is left to follow: the subscription ends, no new one is opened.
    expect(count('subscriptions/listen')).toBe(before);
    expect(await settleOn(clock, client.listening())).toBeUndefined();
  });

  it('tasks that end one by one leave the filter together, once the window is over, in one resubscription', async () => {
    const { finish } = createTaskServer();
    const { client, count } = await connect();
    const handles = await startMany(client, 11);
    await settleOn(clock, client.listening());
    const before = count('subscriptions/listen');
    for (let i = 0; i < 10; i++) {
      finish(i);
      expect((await settleOn(clock, handles[i]!.task.result)).content[0]).toEqual({ type: 'text', text: `done ${i}` });
    }
    expect(count('subscriptions/listen')).toBe(before);
    await clock.advance(ENDED_TASKS_WINDOW_MS);
    expect(await settleOn(clock, client.listening())).toEqual({ taskIds: [handles[10]!.task.taskId] });
    expect(count('subscriptions/listen')).toBe(before + 1);

    finish(10);
    expect((await settleOn(clock, handles[10]!.task.result)).content[0]).toEqual({ type: 'text', text: 'done 10' });
    expect(handles.map((h) => h.seen)).toEqual(Array.from({ length: 11 }, () => ['completed']));
  });

  it('a task that starts while a resubscription is on its way is taken by the next one, and its statuses are not lost', async () => {
    const { finish } = createTaskServer();
    const { client, count } = await connect(true);
    const [first] = await startMany(client, 1);
    // Started before the first subscription is acknowledged, and finished before the next one opens.
    const second = await settleOn(clock, client.callTool('job', { n: 1 }, { task: true }));
    finish(1);
    expect((await settleOn(clock, second.result)).content[0]).toEqual({ type: 'text', text: 'done 1' });
    expect(second.status?.status).toBe('completed');
    finish(0);
    expect((await settleOn(clock, first!.task.result)).content[0]).toEqual({ type: 'text', text: 'done 0' });
    expect(count('subscriptions/listen')).toBeLessThanOrEqual(2);
  });
});
