import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createClient, type Client } from '../../src/client/createClient.js';
import type { TaskStatusUpdate } from '../../src/client/taskTypes.js';
import type { Era } from '../../src/constants.js';
import { ProtocolError } from '../../src/errors.js';
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
  // Nothing a task handle armed outlives its client: no poll timer, no listen retry.
  expect(clock.pendingTimers).toBe(0);
});

/** A server whose task tool `job` finishes when the test resolves `gate`; `ask` elicits a name inside its task. */
function createTaskServer(options: { pollIntervalMs?: number } = {}) {
  clock = createFakeClock(Date.UTC(2026, 6, 28));
  server = createServer({ name: 's', version: '1' }, { clock, tasks: { ttlMs: 60_000, pollIntervalMs: options.pollIntervalMs ?? 250 } });
  const gate = deferred<'ok'>();
  server.tool({ name: 'job', input: z.object({ fail: z.enum(['protocol', 'tool']).optional() }), execution: { taskSupport: 'optional' } }, ({ fail }, ctx) =>
    ctx.runAsTask(async (task) => {
      await task.setStatusMessage('busy');
      await gate.promise;
      if (fail === 'protocol') throw new ProtocolError('InternalError', 'upstream down');
      return fail === 'tool' ? { content: [{ type: 'text', text: 'bad' }], isError: true } : 'done';
    }),
  );
  server.tool({ name: 'ask', input: z.object({}), execution: { taskSupport: 'optional' } }, (_args, ctx) =>
    ctx.runAsTask(async (task) => {
      const answer = await task.elicit({ message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } });
      return `Hello, ${String(answer.content?.name)}!`;
    }),
  );
  server.tool({ name: 'plain' }, () => 'plain');
  return { server, gate };
}

/** The methods a client sent, in order. */
interface Recorded {
  readonly transport: Transport;
  readonly sent: string[];
}

/** Records what the client sends; `noPush` hides the extension from its server/discover answer, as a server without push would. */
function recorded(transport: Transport, noPush: boolean): Recorded {
  const sent: string[] = [];
  const send = transport.send.bind(transport);
  const hide = (data: unknown): unknown => {
    const message = JSON.parse(data as string) as { result?: { supportedVersions?: unknown; capabilities?: { extensions?: unknown } } };
    if (!message.result?.supportedVersions || !message.result.capabilities) return data;
    delete message.result.capabilities.extensions;
    return JSON.stringify(message);
  };
  const wrapped: Transport = {
    start: (sink) =>
      transport.start(noPush ? { message: (data) => sink.message(hide(data)), closed: (reason) => sink.closed(reason), error: (error) => sink.error(error) } : sink),
    close: (reason) => transport.close(reason),
    send(data, options) {
      const method = (JSON.parse(data) as { method?: string }).method;
      if (method) sent.push(method);
      return send(data, options);
    },
  };
  return { transport: wrapped, sent };
}

async function connect(era: Era, options: Parameters<typeof createClient>[1] = {}, noPush = false): Promise<{ client: Client; sent: string[] }> {
  const [clientSide, serverSide] = createMemoryTransportPair();
  server!.connect(serverSide);
  const { transport, sent } = recorded(clientSide, noPush);
  const client = createClient({ name: 'c', version: '1' }, { clock, era, ...options });
  clients.push(client);
  await settleOn(clock, client.connect(transport));
  return { client, sent };
}

const text = (result: { content: Array<{ type: string; text?: string }> }) => result.content[0]?.text;

describe('client tasks, modern era (ext-tasks)', () => {
  it('returns a handle at once; statuses are pushed through the listen subscription and the result comes with the terminal one', async () => {
    const { gate } = createTaskServer();
    const { client, sent } = await connect('modern');
    const task = await settleOn(clock, client.callTool('job', {}, { task: true }));
    expect(task.taskId).toEqual(expect.any(String));
    // The seed state, from the CreateTaskResult.
    expect(task.status).toMatchObject({ taskId: task.taskId, status: 'working', statusMessage: 'busy' });
    const seen: TaskStatusUpdate[] = [];
    task.onStatus((s) => seen.push(s));
    // The subscription names the task; the client reads it once to catch up, then only listens.
    expect(await settleOn(clock, client.listening())).toMatchObject({ taskIds: [task.taskId] });
    await clock.advance(0);
    const reads = sent.filter((m) => m === 'tasks/get').length;
    await clock.advance(10_000);
    expect(sent.filter((m) => m === 'tasks/get').length).toBe(reads);
    gate.resolve('ok');
    expect(text(await settleOn(clock, task.result))).toBe('done');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ taskId: task.taskId, status: 'completed', ttlMs: 60_000, pollIntervalMs: 250 });
    expect(task.status?.status).toBe('completed');
  });

  it('polls tasks/get at the suggested interval when the server does not push, and stops at the terminal status', async () => {
    const { gate } = createTaskServer({ pollIntervalMs: 500 });
    // A server without the extension among its capabilities gets no taskIds in the listen filter.
    const { client, sent } = await connect('modern', {}, true);
    const task = await settleOn(clock, client.callTool('job', {}, { task: true }));
    const polls = () => sent.filter((m) => m === 'tasks/get').length;
    await clock.advance(499);
    expect(polls()).toBe(0);
    await clock.advance(1);
    expect(polls()).toBe(1);
    await clock.advance(1000);
    expect(polls()).toBe(3);
    gate.resolve('ok');
    await clock.advance(500);
    expect(text(await task.result)).toBe('done');
    const final = polls();
    await clock.advance(5000);
    expect(polls()).toBe(final);
    expect(sent).not.toContain('subscriptions/listen');
  });

  it('takes pollIntervalMs from the call over the server suggestion', async () => {
    createTaskServer({ pollIntervalMs: 5000 });
    const { client, sent } = await connect('modern', {}, true);
    await settleOn(clock, client.callTool('job', {}, { task: true, pollIntervalMs: 50 }));
    await clock.advance(200);
    expect(sent.filter((m) => m === 'tasks/get').length).toBe(4);
  });

  it('answers input_required with the elicitation handler through tasks/update, once per key', async () => {
    createTaskServer();
    const asked: string[] = [];
    const { client, sent } = await connect('modern', {
      onElicitationRequest: (params) => {
        asked.push(params.message);
        return { action: 'accept', content: { name: 'Ada' } };
      },
    });
    const task = await settleOn(clock, client.callTool('ask', {}, { task: true }));
    expect(text(await settleOn(clock, task.result))).toBe('Hello, Ada!');
    expect(asked).toEqual(['Name?']);
    expect(sent.filter((m) => m === 'tasks/update')).toHaveLength(1);
    expect(task.status?.status).toBe('completed');
  });

  it('fails the handle and cancels the task when the client cannot answer its input', async () => {
    createTaskServer();
    const { client, sent } = await connect('modern', {
      onElicitationRequest: () => {
        throw new ProtocolError('InvalidRequest', 'no user here');
      },
    });
    const task = await settleOn(clock, client.callTool('ask', {}, { task: true }));
    const error = await settleOn(clock, task.result).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'InvalidRequest', message: 'no user here' });
    await clock.advance(0);
    expect(sent).toContain('tasks/cancel');
  });

  it('cancel() sends tasks/cancel and the result rejects with RequestCancelled', async () => {
    createTaskServer();
    const { client, sent } = await connect('modern');
    const task = await settleOn(clock, client.callTool('job', {}, { task: true }));
    await settleOn(clock, task.cancel());
    expect(sent).toContain('tasks/cancel');
    const error = await settleOn(clock, task.result).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RequestCancelled' });
    expect(task.status?.status).toBe('cancelled');
  });

  it('aborting the call signal after the task was created cancels the task', async () => {
    createTaskServer();
    const { client } = await connect('modern');
    const controller = new AbortController();
    const task = await settleOn(clock, client.callTool('job', {}, { task: true, signal: controller.signal }));
    controller.abort();
    expect(await settleOn(clock, task.result).catch((e: unknown) => e)).toMatchObject({ code: 'RequestCancelled' });
  });

  it('a JSON-RPC failure of the work rejects with that error; a tool error is a completed result', async () => {
    const { gate } = createTaskServer();
    const { client } = await connect('modern');
    const failing = await settleOn(clock, client.callTool('job', { fail: 'protocol' }, { task: true }));
    const toolError = await settleOn(clock, client.callTool('job', { fail: 'tool' }, { task: true }));
    gate.resolve('ok');
    const error = await settleOn(clock, failing.result).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ code: 'InternalError', message: 'upstream down' });
    expect(await settleOn(clock, toolError.result)).toMatchObject({ isError: true });
  });

  it('a plain call is not offered a task; a call the server answers at once gives a handle without a task', async () => {
    const { gate } = createTaskServer();
    const { client } = await connect('modern');
    gate.resolve('ok');
    expect(text(await settleOn(clock, client.callTool('job', {})))).toBe('done');
    const inline = await settleOn(clock, client.callTool('plain', {}, { task: true }));
    expect(inline.taskId).toBeUndefined();
    expect(text(await inline.result)).toBe('plain');
  });

  it('a client that declared the extension itself is followed to the result of a plain call', async () => {
    const { gate } = createTaskServer();
    const { client, sent } = await connect('modern', { capabilities: { extensions: { 'io.modelcontextprotocol/tasks': {} } } });
    const call = client.callTool('job', {});
    await settleOn(clock, client.listening());
    gate.resolve('ok');
    expect(text(await settleOn(clock, call))).toBe('done');
    expect(sent).toContain('tasks/get');
  });

  it('closing the client rejects the handle with ConnectionClosed and stops polling', async () => {
    createTaskServer();
    const { client, sent } = await connect('modern', {}, true);
    const task = await settleOn(clock, client.callTool('job', {}, { task: true }));
    await clock.advance(250);
    expect(sent).toContain('tasks/get');
    expect(clock.pendingTimers).toBe(1);
    await client.close();
    expect(await task.result.catch((e: unknown) => e)).toMatchObject({ code: 'ConnectionClosed' });
    // The server's task still waits for its gate, with no timer: the one armed was the client's poll.
    expect(clock.pendingTimers).toBe(0);
  });

  it('a task outlives the connection that made it: a new client follows it by id to its result', async () => {
    const { gate } = createTaskServer();
    const first = await connect('modern');
    const task = await settleOn(clock, first.client.callTool('job', {}, { task: true }));
    await first.client.close();
    const second = await connect('modern');
    const again = second.client.watchTask(task.taskId!);
    gate.resolve('ok');
    expect(text(await settleOn(clock, again.result))).toBe('done');
  });

  it('a dropped connection pauses the handle (no timer); connecting the same client again resumes it', async () => {
    const { gate } = createTaskServer();
    const [clientSide, serverSide] = createMemoryTransportPair();
    const connection = server!.connect(serverSide);
    const client = createClient({ name: 'c', version: '1' }, { clock, era: 'modern' });
    clients.push(client);
    await settleOn(clock, client.connect(clientSide));
    const task = await settleOn(clock, client.callTool('job', {}, { task: true }));
    await settleOn(clock, client.listening());
    await connection.close();
    await clock.advance(0);
    expect(client.era).toBe('modern');
    expect(clock.pendingTimers).toBe(0);
    gate.resolve('ok');
    await clock.advance(0);
    const [again, againServer] = createMemoryTransportPair();
    server!.connect(againServer);
    await settleOn(clock, client.connect(again));
    expect(text(await settleOn(clock, task.result))).toBe('done');
  });

  it('watching an unknown task rejects with InvalidParams', async () => {
    createTaskServer();
    const { client } = await connect('modern');
    expect(await settleOn(clock, client.watchTask('no-such-task').result).catch((e: unknown) => e)).toMatchObject({ code: 'InvalidParams' });
  });
});

describe('client tasks, 2025-11-25 sessions', () => {
  it('asks with params.task, polls tasks/get and takes the result from tasks/result', async () => {
    const { gate } = createTaskServer();
    const { client, sent } = await connect('legacy');
    const task = await settleOn(clock, client.callTool('job', {}, { task: true }));
    expect(task.taskId).toEqual(expect.any(String));
    await clock.advance(250);
    expect(sent).toContain('tasks/get');
    gate.resolve('ok');
    expect(text(await settleOn(clock, task.result))).toBe('done');
    expect(sent).toContain('tasks/result');
  });

  it('a 2025-11-25 task ends with its session: a dropped connection rejects the handle with ConnectionClosed', async () => {
    createTaskServer();
    const [clientSide, serverSide] = createMemoryTransportPair();
    const connection = server!.connect(serverSide);
    const client = createClient({ name: 'c', version: '1' }, { clock, era: 'legacy' });
    clients.push(client);
    await settleOn(clock, client.connect(clientSide));
    const task = await settleOn(clock, client.callTool('job', {}, { task: true }));
    await connection.close();
    expect(await settleOn(clock, task.result).catch((e: unknown) => e)).toMatchObject({ code: 'ConnectionClosed' });
  });

  it('relays input through the server requests tasks/result carries, and cancels', async () => {
    createTaskServer();
    const { client } = await connect('legacy', { onElicitationRequest: () => ({ action: 'accept', content: { name: 'Lin' } }) });
    const asking = await settleOn(clock, client.callTool('ask', {}, { task: true }));
    await clock.advance(250);
    expect(text(await settleOn(clock, asking.result))).toBe('Hello, Lin!');
    const job = await settleOn(clock, client.callTool('job', {}, { task: true }));
    await settleOn(clock, job.cancel());
    expect(await settleOn(clock, job.result).catch((e: unknown) => e)).toMatchObject({ code: 'RequestCancelled' });
  });
});

describe('invalid task answers', () => {
  it('a CreateTaskResult to a request that cannot carry one is an invalid response', async () => {
    clock = createFakeClock();
    const [clientSide, serverSide] = createMemoryTransportPair();
    // A fake modern server that answers every request with a task.
    void serverSide.start({
      message: (data) => {
        const message = JSON.parse(data as string) as { id?: number; method: string };
        if (message.id === undefined) return;
        const result =
          message.method === 'server/discover'
            ? { supportedVersions: ['2026-07-28'], capabilities: { tools: {} }, resultType: 'complete' }
            : { resultType: 'task', taskId: 't', status: 'working', createdAt: 'x', lastUpdatedAt: 'x', ttlMs: null };
        void serverSide.send(JSON.stringify({ jsonrpc: '2.0', id: message.id, result }));
      },
      closed: () => {},
      error: () => {},
    });
    const client = createClient({ name: 'c', version: '1' }, { clock, era: 'modern' });
    clients.push(client);
    await settleOn(clock, client.connect(clientSide));
    expect(await settleOn(clock, client.listTools()).catch((e: unknown) => e)).toMatchObject({ code: 'InvalidParams' });
    expect(await settleOn(clock, client.callTool('x', {})).catch((e: unknown) => e)).toMatchObject({ code: 'InvalidParams' });
  });
});
