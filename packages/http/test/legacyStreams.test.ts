import { createInMemoryEventStore, createStreamableHttpCore, type EventStore, type StreamableHttpHandlerOptions } from '@tidings/http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDemoServer } from '../../streamable-http/test/helpers/demoServer.js';
import { envelope, MODERN, postHeaders } from '../../streamable-http/test/helpers/raw.js';
import { pureWire, type Wire } from './helpers/callCore.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const modernMeta = envelope();
const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };

/** A legacy session on the pure handler: its wire and the headers of its later requests. */
async function session(options: Omit<StreamableHttpHandlerOptions, 'server'> = {}) {
  const server = createDemoServer();
  const core = createStreamableHttpCore({ server, ...options });
  cleanups.push(async () => (await core.close(), await server.close()));
  const call: Wire = pureWire(core);
  const opened = await call({ headers: postHeaders(), body: JSON.stringify(initialize) });
  const headers = postHeaders({ 'mcp-session-id': opened.headers['mcp-session-id'] as string, 'mcp-protocol-version': '2025-11-25' });
  await call({ headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
  const get = (extra: Record<string, string> = {}) => call({ method: 'GET', headers: { ...headers, accept: 'text/event-stream', ...extra }, keepOpen: true });
  return { server, call, headers, get };
}

/** An event store that answers later, as one over the network does. */
function laterStore(): EventStore {
  const memory = createInMemoryEventStore();
  const later = <T>(value: () => T | Promise<T>): Promise<T> => new Promise((resolve) => setImmediate(() => resolve(value())));
  return {
    append: (sessionId, event) => later(() => memory.append(sessionId, event)),
    replay: (sessionId, streamId, afterSeq) => later(() => memory.replay(sessionId, streamId, afterSeq)),
    deleteSession: (sessionId) => later(() => memory.deleteSession(sessionId)),
  };
}

describe('legacy session streams on the pure handler', () => {
  it('with an event store that answers later, a request stream still ends with its response', async () => {
    const { call, headers } = await session({ eventStore: laterStore() });
    const request = { jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'long_running_task', arguments: { task_name: 't', steps: 3 }, _meta: { progressToken: 'p' } } };
    const reply = await call({ headers, body: JSON.stringify(request) });
    expect(reply.headers['content-type']).toBe('text/event-stream');
    const messages = reply.text.split('\n').filter((l) => l.startsWith('data: {')).map((l) => JSON.parse(l.slice(6)));
    expect(messages.filter((m) => m.method === 'notifications/progress').map((m) => m.params.progress)).toEqual([1 / 3, 2 / 3, 1]);
    expect(messages.at(-1)).toMatchObject({ id: 5, result: { content: [{ type: 'text', text: "Task 't' completed" }] } });
  });

  it('messages kept while no GET stream was open are resumable from their own ids (no priming id past them)', async () => {
    const { server, get } = await session();
    for (const n of [1, 2, 3]) await server.broadcast('custom/kept', { n });
    const first = await get();
    expect(await first.nextEvent()).toMatch(/^retry: /);
    const event = await first.nextEvent();
    expect(event).toMatch(/^id: \S+\ndata: .*"n":1/);
    first.close();
    // The client dropped after the first kept message: it resumes from that message's id.
    const id = /^id: (\S+)/.exec(event)![1]!;
    const resumed = await get({ 'last-event-id': id });
    const next = [await resumed.nextEvent(), await resumed.nextEvent(), await resumed.nextEvent()];
    // The resumed connection starts with the client's own cursor: dropping before a new event resumes from it again.
    expect(next[0]).toMatch(new RegExp(`^id: ${id}\nretry: \\d+\ndata: $`));
    expect(next.slice(1).map((e) => JSON.parse(/data: (.*)$/.exec(e)![1]!).params.n)).toEqual([2, 3]);
    resumed.close();
  });

  it('an initialize whose client left before the answer opens no session', async () => {
    const server = createDemoServer();
    const core = createStreamableHttpCore({ server });
    cleanups.push(async () => (await core.close(), await server.close()));
    const left = new AbortController();
    const answer = core.handle({ method: 'POST', url: '/mcp', headers: { host: '127.0.0.1:3000', ...postHeaders() }, body: JSON.stringify(initialize), signal: left.signal, loopback: true });
    left.abort();
    expect((await answer).status).toBe(204);
    await vi.waitFor(() => expect(core.sessionCount).toBe(0));
  });

  it('a modern request whose client left while its body was read never runs', async () => {
    const server = createDemoServer();
    const ran: string[] = [];
    server.tool({ name: 'record' }, (args) => (ran.push(String(args.tag)), 'ok'));
    const core = createStreamableHttpCore({ server });
    cleanups.push(async () => (await core.close(), await server.close()));
    const headers = { host: '127.0.0.1:3000', ...postHeaders({ 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call', 'mcp-name': 'record' }) };
    const body = (id: number, tag: string) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'record', arguments: { tag }, _meta: modernMeta } });
    const left = new AbortController();
    const abandoned = core.handle({ method: 'POST', url: '/mcp', headers, body: body(9, 'abandoned'), signal: left.signal, loopback: true });
    left.abort();
    expect((await abandoned).status).toBe(204);
    // A marker: the next request ran, so the abandoned one had every chance to.
    const marker = await core.handle({ method: 'POST', url: '/mcp', headers, body: body(10, 'marker'), loopback: true });
    expect(marker.status).toBe(200);
    expect(ran).toEqual(['marker']);
  });
});
