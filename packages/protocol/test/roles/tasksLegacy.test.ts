import { afterEach, describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/errors.js';
import { createServer, type Server } from '../../src/server/createServer.js';
import { createFakeClock, settleOn, type FakeClock } from '../helpers/fakeClock.js';
import { deferred, tasksWire } from './tasksWire.js';

let server: Server | undefined;
let clock: FakeClock;

afterEach(async () => {
  await server?.close();
  server = undefined;
  expect(clock.pendingTimers).toBe(0);
});

/** A server with task tools whose work the test finishes through `gate`. */
function createLegacyTaskServer(tasks: { listPageSize?: number } = {}) {
  clock = createFakeClock(Date.UTC(2025, 10, 25));
  server = createServer({ name: 's', version: '1' }, { clock, tasks: { pollIntervalMs: 500, ...tasks } });
  const gate = deferred<'ok' | 'tool' | 'protocol'>();
  server.tool({ name: 'job', execution: { taskSupport: 'optional' } }, (_a, ctx) =>
    ctx.runAsTask(async () => {
      const how = await gate.promise;
      if (how === 'protocol') throw new ProtocolError('InternalError', 'upstream down');
      return how === 'tool' ? { content: [{ type: 'text', text: 'bad' }], isError: true } : 'done';
    }),
  );
  server.tool({ name: 'quick', execution: { taskSupport: 'optional' } }, () => 'at once');
  server.tool({ name: 'only_task', execution: { taskSupport: 'required' } }, (_a, ctx) => ctx.runAsTask(() => 'x'));
  server.tool({ name: 'plain' }, () => 'plain');
  server.tool({ name: 'ask', execution: { taskSupport: 'optional' } }, (_a, ctx) =>
    ctx.runAsTask(async (task) => {
      const answer = await task.elicit({ message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } });
      return `Hello, ${String(answer.content?.name)}!`;
    }),
  );
  return { server, gate };
}

let ids = 0;
/** A legacy session at `version`, initialized; returns the wire and a request helper. */
async function legacySession(server: Server, version = '2025-11-25', capabilities: Record<string, unknown> = {}) {
  const wire = tasksWire(server, clock);
  const init = await wire.raw({ jsonrpc: '2.0', id: `i${++ids}`, method: 'initialize', params: { protocolVersion: version, capabilities, clientInfo: { name: 'l', version: '1' } } });
  await wire.notify({ jsonrpc: '2.0', method: 'notifications/initialized' });
  const send = (method: string, params: Record<string, unknown>) => wire.raw({ jsonrpc: '2.0', id: `r${++ids}`, method, params });
  return { wire, init, send };
}

const callAsTask = (send: (m: string, p: Record<string, unknown>) => Promise<Record<string, any>>, name: string, ttl?: number) =>
  send('tools/call', { name, arguments: {}, task: ttl === undefined ? {} : { ttl } });

describe('2025-11-25 tasks on legacy sessions (2025-11-25 basic/utilities/tasks)', () => {
  it('declares the tasks capability to 2025-11-25 sessions only', async () => {
    const { server } = createLegacyTaskServer();
    expect((await legacySession(server)).init.result.capabilities.tasks).toEqual({ list: {}, cancel: {}, requests: { tools: { call: {} } } });
    expect((await legacySession(server, '2025-06-18')).init.result.capabilities.tasks).toBeUndefined();
  });

  it('answers a task-augmented call with CreateTaskResult, then tasks/get, tasks/result and a status notification', async () => {
    const { server, gate } = createLegacyTaskServer();
    const { wire, send } = await legacySession(server);
    const created = (await callAsTask(send, 'job', 5_000)).result;
    expect(created).toEqual({
      task: { taskId: expect.any(String), status: 'working', createdAt: '2025-11-25T00:00:00.000Z', lastUpdatedAt: '2025-11-25T00:00:00.000Z', ttl: 5_000, pollInterval: 500 },
    });
    const { taskId } = created.task;
    expect((await send('tasks/get', { taskId })).result).toMatchObject({ taskId, status: 'working', ttl: 5_000 });

    // tasks/result blocks until the task is terminal.
    const result = send('tasks/result', { taskId });
    await clock.advance(0);
    gate.resolve('ok');
    expect((await result).result).toEqual({
      content: [{ type: 'text', text: 'done' }],
      _meta: { 'io.modelcontextprotocol/related-task': { taskId } },
    });
    const statuses = wire.notifications('notifications/tasks/status').map((n) => n.params);
    expect(statuses).toEqual([expect.objectContaining({ taskId, status: 'completed', ttl: 5_000 })]);
    expect(wire.notifications('notifications/tasks')).toEqual([]);
  });

  it('a tool error is a failed task in 2025-11-25 and tasks/result returns the tool result; a JSON-RPC error is returned as such', async () => {
    const { server, gate } = createLegacyTaskServer();
    const { send } = await legacySession(server);
    gate.resolve('tool');
    const tool = (await callAsTask(send, 'job')).result.task;
    await clock.advance(0);
    expect((await send('tasks/get', { taskId: tool.taskId })).result.status).toBe('failed');
    expect((await send('tasks/result', { taskId: tool.taskId })).result).toMatchObject({ isError: true, content: [{ text: 'bad' }] });
  });

  it('tasks/result of a task that failed with a JSON-RPC error answers that error', async () => {
    const { server, gate } = createLegacyTaskServer();
    const { send } = await legacySession(server);
    gate.resolve('protocol');
    const { taskId } = (await callAsTask(send, 'job')).result.task;
    await clock.advance(0);
    expect((await send('tasks/result', { taskId })).error).toMatchObject({ code: -32603, message: 'upstream down' });
  });

  it('tasks/cancel returns the cancelled task; a terminal task is −32602', async () => {
    const { server } = createLegacyTaskServer();
    const { send } = await legacySession(server);
    const { taskId } = (await callAsTask(send, 'job')).result.task;
    expect((await send('tasks/cancel', { taskId })).result).toMatchObject({ taskId, status: 'cancelled' });
    expect((await send('tasks/cancel', { taskId })).error).toMatchObject({ code: -32602 });
    expect((await send('tasks/result', { taskId })).error).toMatchObject({ code: -32600 });
  });

  it("a session's task is its own: another session, or a modern request, gets −32602", async () => {
    const { server } = createLegacyTaskServer();
    const mine = await legacySession(server);
    const other = await legacySession(server);
    const { taskId } = (await callAsTask(mine.send, 'job')).result.task;
    expect((await other.send('tasks/get', { taskId })).error).toMatchObject({ code: -32602 });
    expect((await tasksWire(server, clock).modern('tasks/get', { taskId })).error).toMatchObject({ code: -32602 });
  });

  it('follows execution.taskSupport: −32601 for a task of a plain tool and for a plain call of a required one', async () => {
    const { server } = createLegacyTaskServer();
    const { send } = await legacySession(server);
    expect((await callAsTask(send, 'plain')).error).toMatchObject({ code: -32601 });
    expect((await send('tools/call', { name: 'only_task', arguments: {} })).error).toMatchObject({ code: -32601 });
    expect((await callAsTask(send, 'only_task')).result.task.status).toBe('working');
  });

  it('a tool that answers at once still answers a task-augmented call with a task, which holds the result', async () => {
    const { server } = createLegacyTaskServer();
    const { send } = await legacySession(server);
    const { taskId } = (await callAsTask(send, 'quick')).result.task;
    await clock.advance(0);
    expect((await send('tasks/result', { taskId })).result).toMatchObject({ content: [{ text: 'at once' }] });
  });

  it('sessions before 2025-11-25 ignore params.task and have no tasks/* methods', async () => {
    const { server, gate } = createLegacyTaskServer();
    const { send } = await legacySession(server, '2025-06-18');
    gate.resolve('ok');
    expect((await settleOn(clock, callAsTask(send, 'job'))).result).toEqual({ content: [{ type: 'text', text: 'done' }] });
    expect((await send('tasks/get', { taskId: 'x' })).error).toMatchObject({ code: -32601 });
  });

  it('input inside the task: input_required on tasks/get, the request sent on tasks/result with the task named, the answer resumes it', async () => {
    const { server } = createLegacyTaskServer();
    const { wire, send } = await legacySession(server, '2025-11-25', { elicitation: {} });
    const { taskId } = (await callAsTask(send, 'ask')).result.task;
    await clock.advance(0);
    expect((await send('tasks/get', { taskId })).result.status).toBe('input_required');
    const result = send('tasks/result', { taskId });
    await clock.advance(0);
    const [asked] = wire.received.filter((m) => m.method === 'elicitation/create');
    expect(asked?.params).toMatchObject({ message: 'Name?', _meta: { 'io.modelcontextprotocol/related-task': { taskId } } });
    await wire.notify({ jsonrpc: '2.0', id: asked!.id, result: { action: 'accept', content: { name: 'Ada' } } });
    expect((await result).result).toMatchObject({ content: [{ type: 'text', text: 'Hello, Ada!' }] });
  });

  it('a client that refuses the input request fails the work that asked', async () => {
    const { server } = createLegacyTaskServer();
    const { wire, send } = await legacySession(server, '2025-11-25', { elicitation: {} });
    const { taskId } = (await callAsTask(send, 'ask')).result.task;
    const result = send('tasks/result', { taskId });
    await clock.advance(0);
    const [asked] = wire.received.filter((m) => m.method === 'elicitation/create');
    await wire.notify({ jsonrpc: '2.0', id: asked!.id, error: { code: -32603, message: 'no user here' } });
    expect((await result).error).toMatchObject({ code: -32603, message: 'no user here' });
  });

  it('a task of a session that did not declare elicitation fails when it asks, with the legacy capability error', async () => {
    const { server } = createLegacyTaskServer();
    const { send } = await legacySession(server);
    const { taskId } = (await callAsTask(send, 'ask')).result.task;
    await clock.advance(0);
    expect((await send('tasks/result', { taskId })).error).toMatchObject({ code: -32010 });
  });

  it('tasks/update does not exist on legacy sessions (−32601)', async () => {
    const { server } = createLegacyTaskServer();
    const { send } = await legacySession(server);
    expect((await send('tasks/update', { taskId: 'x', inputResponses: {} })).error).toMatchObject({ code: -32601 });
  });
});

describe('2025-11-25 tasks/list (2025-11-25 tasks §Listing Tasks, §Task Listing)', () => {
  it("lists the session's own tasks, oldest first, in pages with an opaque nextCursor; the last page has none", async () => {
    const { server, gate } = createLegacyTaskServer({ listPageSize: 2 });
    const mine = await legacySession(server);
    const other = await legacySession(server);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await callAsTask(mine.send, i === 4 ? 'quick' : 'job')).result.task.taskId);
    await callAsTask(other.send, 'job');
    await clock.advance(0);

    const first = (await mine.send('tasks/list', {})).result;
    expect(first.tasks.map((t: { taskId: string }) => t.taskId)).toEqual(ids.slice(0, 2));
    expect(first.tasks[0]).toEqual({ taskId: ids[0], status: 'working', createdAt: expect.any(String), lastUpdatedAt: expect.any(String), ttl: 3_600_000, pollInterval: 500 });
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await mine.send('tasks/list', { cursor: first.nextCursor })).result;
    expect(second.tasks.map((t: { taskId: string }) => t.taskId)).toEqual(ids.slice(2, 4));
    const last = (await mine.send('tasks/list', { cursor: second.nextCursor })).result;
    expect(last).toEqual({ tasks: [expect.objectContaining({ taskId: ids[4], status: 'completed' })] });

    // Every task tasks/get lets a session read is listed to it, and nothing else (§Task Listing 4).
    const others = (await other.send('tasks/list', {})).result.tasks;
    expect(others).toHaveLength(1);
    expect(ids).not.toContain(others[0].taskId);
    gate.resolve('ok');
  });

  it('a session without tasks gets an empty list; a cursor that is not ours is −32602; a modern request is −32601', async () => {
    const { server } = createLegacyTaskServer();
    const { send } = await legacySession(server);
    expect((await send('tasks/list', {})).result).toEqual({ tasks: [] });
    expect((await send('tasks/list', { cursor: 'not-a-cursor' })).error).toMatchObject({ code: -32602 });
    expect((await send('tasks/list', { cursor: btoa('tasks:x') })).error).toMatchObject({ code: -32602 });
    expect((await tasksWire(server, clock).modern('tasks/list', {})).error).toMatchObject({ code: -32601 });
    await expect((await legacySession(server, '2025-06-18')).send('tasks/list', {})).resolves.toMatchObject({ error: { code: -32601 } });
  });

  it('a task past its TTL leaves the list; a cursor stays valid when the tasks before it expire', async () => {
    const { server } = createLegacyTaskServer({ listPageSize: 1 });
    const { send } = await legacySession(server);
    const short = (await callAsTask(send, 'quick', 1_000)).result.task.taskId;
    const long = (await callAsTask(send, 'quick', 60_000)).result.task.taskId;
    await clock.advance(0);
    const first = (await send('tasks/list', {})).result;
    expect(first.tasks.map((t: { taskId: string }) => t.taskId)).toEqual([short]);
    await clock.advance(1_000);
    expect((await send('tasks/list', { cursor: first.nextCursor })).result).toEqual({ tasks: [expect.objectContaining({ taskId: long })] });
    expect((await send('tasks/list', {})).result).toEqual({ tasks: [expect.objectContaining({ taskId: long })] });
  });

  it('a task stays its session\'s own once it is over: another session cannot read or list it', async () => {
    const { server } = createLegacyTaskServer();
    const mine = await legacySession(server);
    const other = await legacySession(server);
    const { taskId } = (await callAsTask(mine.send, 'quick')).result.task;
    await clock.advance(0);
    expect((await mine.send('tasks/get', { taskId })).result.status).toBe('completed');
    expect((await other.send('tasks/get', { taskId })).error).toMatchObject({ code: -32602 });
    expect((await other.send('tasks/list', {})).result).toEqual({ tasks: [] });
  });
});
