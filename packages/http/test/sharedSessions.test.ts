import { createMemoryClusterBus, type Server } from '@tidings/protocol';
import { createInMemoryEventStore, createInMemorySessionStore, createStreamableHttpCore, type SessionStore } from '@tidings/http';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoServer } from '../../streamable-http/test/helpers/demoServer.js';
import { postHeaders } from '../../streamable-http/test/helpers/raw.js';
import { pureWire, type CoreResponse, type Wire } from './helpers/callCore.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const initialize = (capabilities: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities, clientInfo: { name: 'raw', version: '1' } },
});

/** Nodes of one cluster in this process: each its own server and handler, sharing bus, session store and event store. */
async function cluster(count: number, wrap: (store: SessionStore) => SessionStore = (store) => store) {
  const bus = createMemoryClusterBus();
  const sessionStore = wrap(createInMemorySessionStore());
  const eventStore = createInMemoryEventStore();
  const nodes: Array<{ server: Server; call: Wire; nodeId: string; stop: () => Promise<void> }> = [];
  for (let i = 0; i < count; i++) {
    const server = createDemoServer({ cluster: { bus, nodeId: `n${i}` } });
    const core = createStreamableHttpCore({ server, sessionStore, eventStore });
    const stop = async (): Promise<void> => (await core.close(), await server.close());
    cleanups.push(stop);
    await server.cluster!.joined;
    nodes.push({ server, call: pureWire(core), nodeId: `n${i}`, stop });
  }
  return { nodes, sessionStore };
}

const data = (event: string): any => JSON.parse(/^data: (.*)$/m.exec(event)![1]!);

/** Opens a session on node 0, sends `initialized` on node 1; the headers of its later requests. */
async function openSession(nodes: Array<{ call: Wire }>, capabilities?: Record<string, unknown>) {
  const opened = await nodes[0]!.call({ headers: postHeaders(), body: JSON.stringify(initialize(capabilities)) });
  expect(opened.status).toBe(200);
  const headers = postHeaders({ 'mcp-session-id': opened.headers['mcp-session-id'] as string, 'mcp-protocol-version': '2025-11-25' });
  const initialized = await nodes[1]!.call({ headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
  expect(initialized.status).toBe(202);
  return headers;
}

const nextMessage = async (stream: CoreResponse): Promise<any> => {
  for (;;) {
    const event = await stream.nextEvent();
    if (/^data: ./m.test(event)) return data(event);
  }
};

describe('legacy sessions shared by the nodes of a cluster', () => {
  it('a session opened on one node answers on the others, and its GET stream on any node gets what its home sends', async () => {
    const { nodes } = await cluster(3);
    const headers = await openSession(nodes);
    const listed = await nodes[2]!.call({ headers, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) });
    expect(listed.json.result.tools.length).toBeGreaterThan(0);
    const get = await nodes[1]!.call({ method: 'GET', headers: { ...headers, accept: 'text/event-stream' }, keepOpen: true });
    expect(get.status).toBe(200);
    // A broadcast from node 2 reaches the session once: its home (node 0) writes it, node 1 follows.
    expect(await nodes[2]!.server.broadcast('custom/hello', { n: 1 })).toBe(1);
    expect(await nodes[2]!.server.notify((await nodes[0]!.server.sessions())[0]!.id, 'custom/hello', { n: 2 })).toBe(true);
    expect((await nextMessage(get)).params).toEqual({ n: 1 });
    expect((await nextMessage(get)).params).toEqual({ n: 2 });
    get.close();
  });

  it('setLevel on one node holds for the home, the logs of a broadcast honour it', async () => {
    const { nodes } = await cluster(2);
    const headers = await openSession(nodes);
    const set = await nodes[1]!.call({ headers, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'logging/setLevel', params: { level: 'warning' } }) });
    expect(set.json.result).toEqual({});
    const get = await nodes[1]!.call({ method: 'GET', headers: { ...headers, accept: 'text/event-stream' }, keepOpen: true });
    await nodes[1]!.server.broadcast('notifications/message', { level: 'info', data: 'quiet' });
    await nodes[1]!.server.broadcast('notifications/message', { level: 'error', data: 'loud' });
    expect((await nextMessage(get)).params.data).toBe('loud');
    get.close();
  });

  it('a server→client request whose response lands on another node completes', async () => {
    const { nodes } = await cluster(2);
    const headers = await openSession(nodes, { sampling: {} });
    const call = nodes[0]!.call({ headers, body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'needs_sampling', arguments: {} } }), keepOpen: true });
    const stream = await call;
    const request = await nextMessage(stream);
    expect(request.method).toBe('sampling/createMessage');
    const answer = { jsonrpc: '2.0', id: request.id, result: { role: 'assistant', content: { type: 'text', text: 'sampled' }, model: 'm' } };
    expect((await nodes[1]!.call({ headers, body: JSON.stringify(answer) })).status).toBe(202);
    const result = await nextMessage(stream);
    expect(result.id).toBe(7);
    expect(JSON.stringify(result.result)).toContain('sampled');
  });

  it('initialized is answered once the session\'s store holds it, so the next request on another node cannot overwrite it with older state', async () => {
    const kept: string[] = [];
    // A store slow to keep a change: the 202 of `initialized` waits for it, whatever the delay.
    const slow = (store: SessionStore): SessionStore => ({
      ...store,
      async update(sessionId, state, ttlMs) {
        await new Promise((resolve) => setTimeout(resolve, 30));
        const found = await store.update(sessionId, state, ttlMs);
        kept.push(state.ready ? 'ready' : 'not ready');
        return found;
      },
    });
    const { nodes } = await cluster(2, slow);
    const opened = await nodes[0]!.call({ headers: postHeaders(), body: JSON.stringify(initialize()) });
    const headers = postHeaders({ 'mcp-session-id': opened.headers['mcp-session-id'] as string, 'mcp-protocol-version': '2025-11-25' });
    const initialized = await nodes[1]!.call({ headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
    expect(initialized.status).toBe(202);
    expect(kept).toEqual(['ready']);
    // A subscribe right after, on the other node, keeps both: the session is ready and subscribed everywhere.
    const subscribed = await nodes[0]!.call({ headers, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'resources/subscribe', params: { uri: 'test://static/a' } }) });
    expect(subscribed.json.result).toEqual({});
    expect(kept).toEqual(['ready', 'ready']);
  });

  it('a DELETE on one node ends the session on every node', async () => {
    const { nodes } = await cluster(2);
    const headers = await openSession(nodes);
    expect((await nodes[1]!.call({ method: 'DELETE', headers })).status).toBe(204);
    const after = await nodes[0]!.call({ headers, body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }) });
    expect(after.status).toBe(404);
  });

  it('a home that stops: what was sent to its sessions meanwhile reaches them from the node taking over, once, in order, filtered', async () => {
    const { nodes } = await cluster(3);
    const headers = await openSession(nodes);
    const sessionId = headers['mcp-session-id'] as string;
    await nodes[1]!.call({ headers, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'logging/setLevel', params: { level: 'warning' } }) });
    const get = await nodes[1]!.call({ method: 'GET', headers: { ...headers, accept: 'text/event-stream' }, keepOpen: true });
    // The home's own broadcast reaches its shared session once, through the bus's log like any other.
    expect(await nodes[0]!.server.broadcast('custom/tick', { n: 1 })).toBe(1);
    expect((await nextMessage(get)).params).toEqual({ n: 1 });
    await nodes[0]!.stop();
    // No home now: nobody delivers these, and nobody says they were delivered.
    expect(await nodes[2]!.server.broadcast('custom/tick', { n: 2 })).toBe(0);
    expect(await nodes[2]!.server.notify(sessionId, 'custom/tick', { n: 3 })).toBe(false);
    await nodes[2]!.server.broadcast('notifications/message', { level: 'info', data: 'below the level' });
    await nodes[2]!.server.broadcast('notifications/message', { level: 'error', data: 'n4' });
    await nodes[2]!.server.notify('another-session', 'custom/tick', { n: 'not this session' });
    // A request on node 1 takes the home over; the log's notifications follow the stored ones, then live ones.
    expect((await nodes[1]!.call({ headers, body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'ping' }) })).status).toBe(200);
    // The new home's own notify, and another node's broadcast, come after what the log kept.
    expect(await nodes[1]!.server.notify(sessionId, 'custom/tick', { n: 5 })).toBe(true);
    expect(await nodes[2]!.server.broadcast('custom/tick', { n: 6 })).toBe(1);
    const got: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      const message = await nextMessage(get);
      got.push(message.params.data ?? message.params.n);
    }
    expect(got).toEqual([2, 3, 'n4', 5, 6]);
    expect(await nodes[2]!.server.broadcast('custom/tick', { n: 7 })).toBe(1);
    // The next message is the live one: nothing above came twice.
    expect((await nextMessage(get)).params).toEqual({ n: 7 });
    get.close();
  });
});
