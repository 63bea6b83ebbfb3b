import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProtocolError } from '../../src/errors.js';
import { createServer, type Server } from '../../src/server/createServer.js';
import { MAX_LISTEN_TASK_IDS } from '../../src/server/listen.js';
import { TASKS_EXTENSION } from '../../src/tasks/taskState.js';
import { createFakeClock, type FakeClock } from '../helpers/fakeClock.js';
import { deferred, tasksWire, WITH_TASKS } from './tasksWire.js';

const NAME_FORM = { type: 'object' as const, properties: { name: { type: 'string' as const } }, required: ['name'] };

let server: Server | undefined;
let clock: FakeClock;

afterEach(async () => {
  await server?.close();
  server = undefined;
  // Nothing of a task outlives its server: no timer is left armed.
  expect(clock.pendingTimers).toBe(0);
});

/** A server with one task tool whose work the test finishes by hand through `gate`. */
function createTaskServer(taskSupport: 'optional' | 'required' = 'optional') {
  clock = createFakeClock(Date.UTC(2026, 6, 28));
  server = createServer({ name: 's', version: '1' }, { clock, tasks: { ttlMs: 60_000, pollIntervalMs: 250 } });
  const gate = deferred<string>();
  let signal: AbortSignal | undefined;
  server.tool({ name: 'job', input: z.object({ fail: z.enum(['no', 'tool', 'protocol']).default('no') }), execution: { taskSupport } }, ({ fail }, ctx) =>
    ctx.runAsTask(async (task) => {
      signal = task.signal;
      const text = await gate.promise;
      if (fail === 'protocol') throw new ProtocolError('InternalError', 'upstream down');
      if (fail === 'tool') throw new Error('bad input');
      return text;
    }),
  );
  server.tool({ name: 'plain' }, () => 'plain');
  return { server, gate, signal: () => signal };
}

describe('tasks: creation and polling (ext-tasks §Task Creation, §Task Polling)', () => {
  it('advertises the extension under capabilities.extensions once a tool may run as a task', async () => {
    const { server } = createTaskServer();
    const wire = tasksWire(server, clock);
    const discover = await wire.modern('server/discover');
    expect(discover.result.capabilities.extensions).toEqual({ [TASKS_EXTENSION]: {} });
    expect(discover.result.capabilities.tasks).toBeUndefined();
    const listed = await wire.modern('tools/list');
    expect(listed.result.tools.find((t: { name: string }) => t.name === 'job').execution).toEqual({ taskSupport: 'optional' });
  });

  it('answers a flat CreateTaskResult at once, stored before it is returned, then the result inlined on tasks/get', async () => {
    const { server, gate } = createTaskServer();
    const wire = tasksWire(server, clock);
    const created = (await wire.modern('tools/call', { name: 'job', arguments: {} })).result;
    expect(created).toMatchObject({
      resultType: 'task',
      taskId: expect.any(String),
      status: 'working',
      createdAt: '2026-07-28T00:00:00.000Z',
      lastUpdatedAt: '2026-07-28T00:00:00.000Z',
      ttlMs: 60_000,
      pollIntervalMs: 250,
    });
    for (const absent of ['result', 'error', 'inputRequests', 'requestState', 'task', 'content']) expect(created).not.toHaveProperty(absent);

    const working = (await wire.modern('tasks/get', { taskId: created.taskId })).result;
    expect(working).toMatchObject({ resultType: 'complete', taskId: created.taskId, status: 'working' });

    await clock.advance(1_000);
    gate.resolve('done');
    await clock.advance(0);
    const done = (await wire.modern('tasks/get', { taskId: created.taskId })).result;
    expect(done).toMatchObject({
      resultType: 'complete',
      status: 'completed',
      result: { content: [{ type: 'text', text: 'done' }] },
      lastUpdatedAt: '2026-07-28T00:00:01.000Z',
    });
  });

  it('a tool error completes the task with isError; a JSON-RPC error fails it with the error inlined (ext-tasks §Error Handling)', async () => {
    const { server, gate } = createTaskServer();
    const wire = tasksWire(server, clock);
    const tool = (await wire.modern('tools/call', { name: 'job', arguments: { fail: 'tool' } })).result;
    const protocol = (await wire.modern('tools/call', { name: 'job', arguments: { fail: 'protocol' } })).result;
    gate.resolve('x');
    await clock.advance(0);
    expect((await wire.modern('tasks/get', { taskId: tool.taskId })).result).toMatchObject({
      status: 'completed',
      result: { isError: true, content: [{ type: 'text', text: 'bad input' }] },
    });
    const failed = (await wire.modern('tasks/get', { taskId: protocol.taskId })).result;
    expect(failed).toMatchObject({ status: 'failed', statusMessage: 'upstream down', error: { code: -32603, message: 'upstream down' } });
    expect(failed).not.toHaveProperty('result');
  });

  it('an unknown or expired taskId is −32602; tasks/result and tasks/list do not exist (−32601)', async () => {
    const { server } = createTaskServer();
    const wire = tasksWire(server, clock);
    expect((await wire.modern('tasks/get', { taskId: 'nope' })).error).toMatchObject({ code: -32602 });
    expect((await wire.modern('tasks/cancel', { taskId: 'nope' })).error).toMatchObject({ code: -32602 });
    expect((await wire.modern('tasks/update', { taskId: 'nope', inputResponses: {} })).error).toMatchObject({ code: -32602 });
    expect((await wire.modern('tasks/result', { taskId: 'nope' })).error).toMatchObject({ code: -32601 });
    expect((await wire.modern('tasks/list')).error).toMatchObject({ code: -32601 });

    const created = (await wire.modern('tools/call', { name: 'job', arguments: {} })).result;
    await clock.advance(60_000);
    expect((await wire.modern('tasks/get', { taskId: created.taskId })).error).toMatchObject({ code: -32602 });
  });
});

describe('tasks: a client that did not declare the extension (ext-tasks §Capability Negotiation)', () => {
  const WITHOUT = { elicitation: {} };

  it('gets the result inline from an optional tool, −32021 from a required one, and −32021 on tasks/*', async () => {
    const { server, gate } = createTaskServer();
    const wire = tasksWire(server, clock);
    gate.resolve('inline');
    const inline = (await wire.modern('tools/call', { name: 'job', arguments: {} }, WITHOUT)).result;
    expect(inline).toMatchObject({ resultType: 'complete', content: [{ type: 'text', text: 'inline' }] });
    expect(inline).not.toHaveProperty('taskId');
    for (const [method, params] of [
      ['tasks/get', { taskId: 'x' }],
      ['tasks/update', { taskId: 'x', inputResponses: {} }],
      ['tasks/cancel', { taskId: 'x' }],
    ] as const) {
      expect((await wire.modern(method, params, WITHOUT)).error).toMatchObject({
        code: -32021,
        data: { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } },
      });
    }
  });

  it('a required tool refuses before its handler runs', async () => {
    const { server } = createTaskServer('required');
    const wire = tasksWire(server, clock);
    const refused = await wire.modern('tools/call', { name: 'job', arguments: {} }, WITHOUT);
    expect(refused.error).toMatchObject({ code: -32021, data: { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } } });
  });

  it('a tool without task support never answers a task, even to a declaring client', async () => {
    const { server } = createTaskServer();
    server.tool({ name: 'sync_only' }, (_a, ctx) => ctx.runAsTask(() => 'ran inline'));
    const wire = tasksWire(server, clock);
    expect((await wire.modern('tools/call', { name: 'sync_only' })).result).toMatchObject({ resultType: 'complete', content: [{ text: 'ran inline' }] });
  });

  it('a legacy session that does not ask for a task gets the work inline; before 2025-11-25 there are no tasks/* methods', async () => {
    const { server, gate } = createTaskServer();
    const wire = tasksWire(server, clock);
    gate.resolve('legacy inline');
    await wire.raw({ jsonrpc: '2.0', id: 'i', method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'l', version: '1' } } });
    const called = await wire.raw({ jsonrpc: '2.0', id: 'c', method: 'tools/call', params: { name: 'job', arguments: {} } });
    expect(called.result).toEqual({ content: [{ type: 'text', text: 'legacy inline' }] });
    expect((await wire.raw({ jsonrpc: '2.0', id: 'g', method: 'tasks/get', params: { taskId: 'x' } })).error).toMatchObject({ code: -32601 });
  });
});

describe('tasks: cancellation (ext-tasks §Task Cancellation)', () => {
  it('cancels a working task at once and aborts its work; the late outcome is dropped; cancelling again acks', async () => {
    const { server, gate, signal } = createTaskServer();
    const wire = tasksWire(server, clock);
    const created = (await wire.modern('tools/call', { name: 'job', arguments: {} })).result;
    const ack = (await wire.modern('tasks/cancel', { taskId: created.taskId })).result;
    expect(Object.keys(ack).sort()).toEqual(['_meta', 'resultType']);
    expect(ack.resultType).toBe('complete');
    expect(signal()?.aborted).toBe(true);
    gate.resolve('too late');
    await clock.advance(0);
    expect((await wire.modern('tasks/get', { taskId: created.taskId })).result).toMatchObject({ status: 'cancelled' });
    expect((await wire.modern('tasks/cancel', { taskId: created.taskId })).result).toMatchObject({ resultType: 'complete' });
  });

  it('cancelling a completed task acknowledges and leaves it completed', async () => {
    const { server, gate } = createTaskServer();
    const wire = tasksWire(server, clock);
    gate.resolve('kept');
    const created = (await wire.modern('tools/call', { name: 'job', arguments: {} })).result;
    await clock.advance(0);
    expect((await wire.modern('tasks/cancel', { taskId: created.taskId })).result).toMatchObject({ resultType: 'complete' });
    expect((await wire.modern('tasks/get', { taskId: created.taskId })).result).toMatchObject({ status: 'completed' });
  });

  it('server shutdown cancels the tasks it runs', async () => {
    const { server, signal } = createTaskServer();
    const wire = tasksWire(server, clock);
    await wire.modern('tools/call', { name: 'job', arguments: {} });
    await server.close();
    expect(signal()?.aborted).toBe(true);
  });
});

describe('tasks: input from inside a task (ext-tasks §Task Update Requests)', () => {
  function createAskingServer() {
    clock = createFakeClock();
    server = createServer({ name: 's', version: '1' }, { clock });
    server.tool({ name: 'two_names', execution: { taskSupport: 'optional' } }, (_a, ctx) =>
      ctx.runAsTask(async (task) => {
        await task.setStatusMessage('asking');
        const [a, b] = await Promise.all([
          task.elicit({ message: 'First?', requestedSchema: NAME_FORM }, { key: 'first' }),
          task.elicit({ message: 'Second?', requestedSchema: NAME_FORM }),
        ]);
        return `${String(a.content?.name)} & ${String(b.content?.name)}`;
      }),
    );
    return server;
  }

  it('surfaces every outstanding input on tasks/get, takes partial answers, ignores unknown keys, then completes', async () => {
    const wire = tasksWire(createAskingServer(), clock);
    const { taskId } = (await wire.modern('tools/call', { name: 'two_names' })).result;
    await clock.advance(0);
    const waiting = (await wire.modern('tasks/get', { taskId })).result;
    expect(waiting).toMatchObject({
      status: 'input_required',
      statusMessage: 'asking',
      inputRequests: {
        first: { method: 'elicitation/create', params: { message: 'First?' } },
        'elicitation-1': { method: 'elicitation/create', params: { message: 'Second?' } },
      },
    });

    const partial = await wire.modern('tasks/update', {
      taskId,
      inputResponses: { first: { action: 'accept', content: { name: 'Ada' } }, unknown: { whatever: true } },
    });
    expect(partial.result).toMatchObject({ resultType: 'complete' });
    const still = (await wire.modern('tasks/get', { taskId })).result;
    expect(still.status).toBe('input_required');
    expect(Object.keys(still.inputRequests)).toEqual(['elicitation-1']);

    // An answer for a key already answered is ignored, not applied twice.
    await wire.modern('tasks/update', { taskId, inputResponses: { first: { action: 'accept', content: { name: 'Eve' } } } });
    await wire.modern('tasks/update', { taskId, inputResponses: { 'elicitation-1': { action: 'accept', content: { name: 'Bo' } } } });
    await clock.advance(0);
    expect((await wire.modern('tasks/get', { taskId })).result).toMatchObject({ status: 'completed', result: { content: [{ text: 'Ada & Bo' }] } });
  });

  it('refuses a malformed answer with −32602 and keeps the input outstanding', async () => {
    const wire = tasksWire(createAskingServer(), clock);
    const { taskId } = (await wire.modern('tools/call', { name: 'two_names' })).result;
    await clock.advance(0);
    const bad = await wire.modern('tasks/update', { taskId, inputResponses: { first: { action: 'maybe' } } });
    expect(bad.error).toMatchObject({ code: -32602 });
    expect(Object.keys((await wire.modern('tasks/get', { taskId })).result.inputRequests)).toEqual(['first', 'elicitation-1']);
  });

  it('a task made by a request without the elicitation capability fails with −32021 when it asks', async () => {
    const wire = tasksWire(createAskingServer(), clock);
    const { taskId } = (await wire.modern('tools/call', { name: 'two_names' }, { extensions: { [TASKS_EXTENSION]: {} } })).result;
    await clock.advance(0);
    expect((await wire.modern('tasks/get', { taskId })).result).toMatchObject({ status: 'failed', error: { code: -32021 } });
  });

  it('input asked before ctx.runAsTask is a multi round-trip request of tools/call; the task then carries its answer', async () => {
    clock = createFakeClock();
    server = createServer({ name: 's', version: '1' }, { clock });
    server.tool({ name: 'hello', execution: { taskSupport: 'required' } }, async (_a, ctx) => {
      const person = await ctx.elicit({ message: 'Name?', requestedSchema: NAME_FORM }, { key: 'user_name' });
      return ctx.runAsTask(() => `Hello, ${String(person.content?.name)}!`);
    });
    const wire = tasksWire(server, clock);
    const round1 = (await wire.modern('tools/call', { name: 'hello' })).result;
    expect(round1).toMatchObject({ resultType: 'input_required', inputRequests: { user_name: { method: 'elicitation/create' } } });
    expect(round1).not.toHaveProperty('taskId');
    const round2 = (
      await wire.modern('tools/call', {
        name: 'hello',
        requestState: round1.requestState,
        inputResponses: { user_name: { action: 'accept', content: { name: 'Alice' } } },
      })
    ).result;
    expect(round2).toMatchObject({ resultType: 'task', status: 'working' });
    expect(round2).not.toHaveProperty('requestState');
    await clock.advance(0);
    expect((await wire.modern('tasks/get', { taskId: round2.taskId })).result).toMatchObject({
      status: 'completed',
      result: { content: [{ text: 'Hello, Alice!' }] },
    });
  });
});

describe('tasks: status pushed to listen subscriptions (ext-tasks §Task Status Notifications)', () => {
  it('sends each change of a named task, the full task, tagged with the subscription; never another task', async () => {
    const { server, gate } = createTaskServer();
    const wire = tasksWire(server, clock);
    const named = (await wire.modern('tools/call', { name: 'job', arguments: {} })).result;
    const other = (await wire.modern('tools/call', { name: 'job', arguments: { fail: 'tool' } })).result;
    const listenId = await wire.open('subscriptions/listen', { notifications: { taskIds: [named.taskId] } });
    const [ack] = wire.notifications('notifications/subscriptions/acknowledged');
    expect(ack?.params.notifications).toEqual({ taskIds: [named.taskId] });

    await wire.modern('tasks/cancel', { taskId: other.taskId });
    gate.resolve('pushed');
    await clock.advance(0);
    // A marker after the events: everything sent before it has arrived.
    await wire.modern('tasks/get', { taskId: named.taskId });
    const pushed = wire.notifications('notifications/tasks');
    expect(pushed.map((n) => [n.params.taskId, n.params.status])).toEqual([[named.taskId, 'completed']]);
    expect(pushed[0]!.params).toMatchObject({
      result: { content: [{ type: 'text', text: 'pushed' }] },
      _meta: { 'io.modelcontextprotocol/subscriptionId': listenId },
    });
  });

  it('follows at most MAX_LISTEN_TASK_IDS tasks per subscription, and says which in the acknowledgement', async () => {
    const { server } = createTaskServer();
    const wire = tasksWire(server, clock);
    const ids = Array.from({ length: MAX_LISTEN_TASK_IDS + 5 }, (_, i) => `t${i}`);
    await wire.open('subscriptions/listen', { notifications: { taskIds: ids } });
    const [ack] = wire.notifications('notifications/subscriptions/acknowledged');
    expect(ack?.params.notifications.taskIds).toEqual(ids.slice(0, MAX_LISTEN_TASK_IDS));
  });

  it('refuses taskIds from a client without the extension (−32021)', async () => {
    const { server } = createTaskServer();
    const wire = tasksWire(server, clock);
    const refused = await wire.modern('subscriptions/listen', { notifications: { taskIds: ['x'] } }, {});
    expect(refused.error).toMatchObject({ code: -32021, data: { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } } });
  });

  it('legacy sessions never get notifications/tasks', async () => {
    const { server, gate } = createTaskServer();
    const legacy = tasksWire(server, clock);
    await legacy.raw({ jsonrpc: '2.0', id: 'i', method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'l', version: '1' } } });
    await legacy.notify({ jsonrpc: '2.0', method: 'notifications/initialized' });
    const wire = tasksWire(server, clock);
    await wire.modern('tools/call', { name: 'job', arguments: {} });
    gate.resolve('x');
    await clock.advance(0);
    expect(legacy.notifications('notifications/tasks')).toEqual([]);
    expect(server.sessions().some((s) => s.kind === 'session')).toBe(true);
  });
});

describe('tasks: the task store option', () => {
  it('runs at most maxRunningTasks at once: one more is −32603, and a finished one frees its place', async () => {
    clock = createFakeClock();
    server = createServer({ name: 's', version: '1' }, { clock, tasks: { maxRunningTasks: 2 } });
    const gates = [deferred<string>(), deferred<string>(), deferred<string>()];
    let started = 0;
    server.tool({ name: 'job', execution: { taskSupport: 'optional' } }, (_a, ctx) => ctx.runAsTask(() => gates[started++]!.promise));
    const wire = tasksWire(server, clock);
    expect((await wire.modern('tools/call', { name: 'job' })).result.resultType).toBe('task');
    expect((await wire.modern('tools/call', { name: 'job' })).result.resultType).toBe('task');
    expect((await wire.modern('tools/call', { name: 'job' })).error).toMatchObject({ code: -32603 });
    gates[0]!.resolve('one');
    await clock.advance(0);
    expect((await wire.modern('tools/call', { name: 'job' })).result.resultType).toBe('task');
  });

  it('uses the store given: tasks/get reads it, so a task stored by another node is found', async () => {
    clock = createFakeClock();
    const { createMemoryTaskStore } = await import('../../src/tasks/taskStore.js');
    const store = createMemoryTaskStore({ clock });
    const first = createServer({ name: 'a', version: '1' }, { clock, tasks: { store } });
    const second = createServer({ name: 'b', version: '1' }, { clock, tasks: { store } });
    const gate = deferred<string>();
    first.tool({ name: 'job', execution: { taskSupport: 'optional' } }, (_a, ctx) => ctx.runAsTask(() => gate.promise));
    const created = (await tasksWire(first, clock).modern('tools/call', { name: 'job' })).result;
    const elsewhere = tasksWire(second, clock);
    expect((await elsewhere.modern('tasks/get', { taskId: created.taskId })).result).toMatchObject({ status: 'working' });
    gate.resolve('from node a');
    await clock.advance(0);
    expect((await elsewhere.modern('tasks/get', { taskId: created.taskId })).result).toMatchObject({ status: 'completed' });
    await first.close();
    await second.close();
  });
});
