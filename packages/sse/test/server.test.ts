import { createServer as createHttpServer, get, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSseHandler, type SseHandler, type SseHandlerOptions } from '../src/index.js';
import { createDemoServer, StatusUpdate } from './helpers/demoServer.js';
import { closeAll, connectSse, startSse, track, waitFor } from './helpers/harness.js';
import { openRawStream } from './helpers/rawStream.js';

afterEach(closeAll);

/** The handler on a plain node:http server, optionally behind `before` (a framework stand-in). */
async function serveHandler(
  options: Omit<SseHandlerOptions, 'server'> = {},
  before?: (req: IncomingMessage, res: ServerResponse, next: () => void) => void,
): Promise<{ origin: string; handler: SseHandler; server: ReturnType<typeof createDemoServer> }> {
  const server = createDemoServer();
  const handler = createSseHandler({ server, ...options });
  const http = createHttpServer((req, res) => (before ? before(req, res, () => void handler(req, res)) : void handler(req, res)));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  track(() => server.close());
  track(
    () =>
      new Promise<void>((resolve) => {
        void handler.close().then(() => {
          http.close(() => resolve());
          http.closeAllConnections();
        });
      }),
  );
  return { origin: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, handler, server };
}

/** A raw node:http request, for headers fetch will not let us set (Host). */
function rawRequest(url: string, options: { method?: string; headers?: Record<string, string> }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (part: string) => (body += part));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the HTTP+SSE stream', () => {
  it('opens with the SSE headers and an endpoint event naming a random session per stream', async () => {
    const { url } = await startSse(createDemoServer());
    const a = await openRawStream(url);
    const b = await openRawStream(url);
    expect(a.response.status).toBe(200);
    expect(a.response.headers.get('content-type')).toBe('text/event-stream');
    expect(a.response.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(a.response.headers.get('x-accel-buffering')).toBe('no');
    const endpoints = [a, b].map((s) => s.events[0]!);
    for (const event of endpoints) {
      expect(event.event).toBe('endpoint');
      expect(event.data).toMatch(/^\/messages\?sessionId=[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(endpoints[0]!.data).not.toBe(endpoints[1]!.data);
  });

  it('sends server messages as message events with increasing ids, and answers each POST 202 Accepted', async () => {
    const { url } = await startSse(createDemoServer());
    const stream = await openRawStream(url);
    const response = await stream.post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
    expect(response.status).toBe(202);
    expect(await response.text()).toBe('Accepted');
    expect(await stream.answer(0)).toMatchObject({ result: { protocolVersion: '2024-11-05' } });
    await stream.post({ jsonrpc: '2.0', method: 'notifications/initialized' });
    await stream.post({ jsonrpc: '2.0', id: 1, method: 'ping' });
    await stream.post({ jsonrpc: '2.0', id: 2, method: 'ping' });
    await stream.answer(2);
    const messages = stream.events.filter((e) => e.event === 'message');
    expect(messages.map((e) => e.id)).toEqual(['1', '2', '3']);
    expect(messages.map((e) => JSON.parse(e.data).id)).toEqual([0, 1, 2]);
  });

  it('answers server/discover and modern requests with −32601, so the stream stays legacy', async () => {
    const { url } = await startSse(createDemoServer());
    const stream = await openRawStream(url);
    expect((await stream.post({ jsonrpc: '2.0', id: 'probe', method: 'server/discover', params: {} })).status).toBe(202);
    expect(await stream.answer('probe')).toMatchObject({ error: { code: -32601, message: expect.stringContaining('legacy') } });
    const modern = { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } };
    await stream.post({ jsonrpc: '2.0', id: 'modern', method: 'tools/list', params: modern });
    expect(await stream.answer('modern')).toMatchObject({ error: { code: -32601 } });
    await stream.initialize();
    await stream.post({ jsonrpc: '2.0', id: 'legacy', method: 'tools/list' });
    expect(await stream.answer('legacy')).toMatchObject({ result: { tools: expect.any(Array) } });
  });

  it('writes keep-alive comments on an idle stream', async () => {
    const { url } = await startSse(createDemoServer(), { keepAliveMs: 20 });
    const stream = await openRawStream(url);
    await waitFor(() => expect(stream.comments.filter((c) => c.trim() === 'keep-alive').length).toBeGreaterThanOrEqual(2));
  });

  it('ends the session when the client drops the stream; its POSTs then get 404', async () => {
    const server = createDemoServer();
    const closed: string[] = [];
    server.onSessionClosed((s) => closed.push(s.id));
    const { url } = await startSse(server);
    const stream = await openRawStream(url);
    await stream.initialize();
    const id = stream.endpoint.searchParams.get('sessionId')!;
    expect(server.sessions().map((s) => s.id)).toEqual([id]);
    stream.close();
    await waitFor(() => expect(closed).toEqual([id]));
    expect(server.sessions()).toEqual([]);
    expect((await stream.post({ jsonrpc: '2.0', id: 1, method: 'ping' })).status).toBe(404);
  });

  it('ends every stream on close() and answers later requests 503', async () => {
    const { origin, handler, server } = await serveHandler();
    const stream = await openRawStream(`${origin}/sse`);
    await stream.initialize();
    await handler.close();
    await waitFor(() => expect(stream.ended).toBe(true));
    expect(server.sessions()).toEqual([]);
    expect((await fetch(`${origin}/sse`)).status).toBe(503);
  });

  it('answers 404 for other paths and 405 with Allow for other methods', async () => {
    const { url } = await startSse(createDemoServer());
    const base = new URL(url);
    expect((await fetch(new URL('/elsewhere', base))).status).toBe(404);
    const put = await fetch(base, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET');
    const getMessages = await fetch(new URL('/messages', base));
    expect(getMessages.status).toBe(405);
    expect(getMessages.headers.get('allow')).toBe('POST');
    expect(await getMessages.json()).toMatchObject({ error: { code: -32600 } });
  });

  it('serves custom paths and a body that a framework already parsed (express.json)', async () => {
    const { origin } = await serveHandler({ endpointPath: '/mcp/events', messagesPath: '/mcp/post' }, (req, res, next) => {
      if (req.method !== 'POST') return next();
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (part: string) => (text += part));
      req.on('end', () => {
        (req as { body?: unknown }).body = JSON.parse(text);
        next();
      });
    });
    const { client, transport } = await connectSse(`${origin}/mcp/events`, { era: 'legacy' });
    expect(transport.endpoint?.pathname).toBe('/mcp/post');
    const result = await client.callTool('long_running_task', { task_name: 'parsed', steps: 2 });
    expect(result.content).toEqual([{ type: 'text', text: "Task 'parsed' completed" }]);
  });
});

describe('DNS-rebinding protection', () => {
  it('refuses a foreign Origin or Host with 403 on a loopback server by default', async () => {
    const { url } = await startSse(createDemoServer());
    const evilOrigin = await fetch(url, { headers: { Origin: 'http://evil.example' } });
    expect(evilOrigin.status).toBe(403);
    expect(await evilOrigin.json()).toMatchObject({ id: null, error: { code: -32600, message: expect.stringContaining('Origin') } });
    const port = new URL(url).port;
    const evilHost = await rawRequest(url, { headers: { Host: `evil.example:${port}` } });
    expect(evilHost.status).toBe(403);
    expect(JSON.parse(evilHost.body)).toMatchObject({ error: { message: expect.stringContaining('Host') } });

    const stream = await openRawStream(url, { Origin: `http://localhost:${port}` });
    const refusedPost = await stream.post({ jsonrpc: '2.0', id: 1, method: 'ping' }, { Origin: 'http://evil.example' });
    expect(refusedPost.status).toBe(403);
    expect((await stream.post({ jsonrpc: '2.0', id: 2, method: 'ping' }, { Origin: `http://127.0.0.1:${port}` })).status).toBe(202);
    const localhostName = await rawRequest(`${url.replace('/sse', '/messages')}`, { method: 'POST', headers: { Host: `localhost:${port}` } });
    expect(localhostName.status).toBe(400);
  });

  it('follows allowedOrigins and allowedHosts when given', async () => {
    const { origin } = await serveHandler({ allowedOrigins: ['https://app.example'], allowedHosts: ['mcp.example'] });
    const host = { Host: 'mcp.example' };
    expect((await rawRequest(`${origin}/messages`, { method: 'POST', headers: { ...host, Origin: 'https://app.example' } })).status).toBe(400);
    expect((await rawRequest(`${origin}/messages`, { method: 'POST', headers: { ...host, Origin: 'http://localhost' } })).status).toBe(403);
    expect((await rawRequest(`${origin}/messages`, { method: 'POST', headers: { Host: new URL(origin).host } })).status).toBe(403);
  });
});

describe('CORS for browser-based clients', () => {
  it('answers preflights on both paths and lets an allowed origin read the stream and the POST answers', async () => {
    const app = 'https://app.example';
    const { origin } = await serveHandler({ allowedOrigins: [app] });
    const preflight = await fetch(`${origin}/messages`, {
      method: 'OPTIONS',
      headers: { Origin: app, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(Object.fromEntries(preflight.headers)).toMatchObject({
      'access-control-allow-origin': app,
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'content-type',
    });
    const streamPreflight = await fetch(`${origin}/sse`, { method: 'OPTIONS', headers: { Origin: app, 'Access-Control-Request-Method': 'GET' } });
    expect(streamPreflight.headers.get('access-control-allow-methods')).toBe('GET');

    const stream = await openRawStream(`${origin}/sse`, { Origin: app });
    expect(stream.response.headers.get('access-control-allow-origin')).toBe(app);
    const posted = await stream.post({ jsonrpc: '2.0', id: 1, method: 'ping' }, { Origin: app });
    expect(posted.status).toBe(202);
    expect(posted.headers.get('access-control-allow-origin')).toBe(app);
    const refused = await fetch(`${origin}/messages`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example' } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    stream.close();
  });
});

describe('backpressure', () => {
  /** Opens a stream with node:http and initializes it; `pause` stops reading. */
  async function slowReader(url: string): Promise<{ id: string; pause(): void; resume(): void; text(): string; closed: Promise<void> }> {
    const stream = await new Promise<IncomingMessage>((resolve, reject) => get(url, resolve).on('error', reject));
    track(async () => stream.destroy());
    const closed = new Promise<void>((resolve) => stream.on('close', resolve));
    let text = '';
    stream.setEncoding('utf8');
    const collect = (part: string): void => void (text += part);
    stream.on('data', collect);
    await waitFor(() => expect(text).toContain('sessionId='));
    const endpoint = new URL(/data: (\S+)/.exec(text)![1]!, url);
    const post = (body: unknown) =>
      fetch(endpoint, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    await post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'slow', version: '1' } } });
    await waitFor(() => expect(text).toContain('"id":0'));
    await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
    return {
      id: endpoint.searchParams.get('sessionId')!,
      // Paused, the stream emits no `data` and stops reading its socket, so the server's writes back up.
      pause: () => stream.pause(),
      resume: () => stream.resume(),
      text: () => text,
      closed,
    };
  }

  it('queues notifications for a paused reader without waiting for it, and delivers them all in order once it reads again', async () => {
    const server = createDemoServer();
    const { url } = await startSse(server, { maxQueuedBytes: 64 * 1024 * 1024 });
    const reader = await slowReader(url);
    await waitFor(() => expect(server.sessions().map((s) => s.id)).toEqual([reader.id]));
    reader.pause();
    const big = 'x'.repeat(1024 * 1024);
    // 32 MiB is more than loopback socket buffers hold: the later sends can only be queued, and
    // each resolves all the same, so a stalled reader never holds the caller (PROTOCOL.md §slow-consumers).
    const sends = Array.from({ length: 32 }, (_, i) => server.notify(reader.id, StatusUpdate, { status: `${i}:${big}` }));
    expect(await Promise.all(sends)).toEqual(sends.map(() => true));
    reader.resume();
    await waitFor(() => expect(reader.text()).toContain('"status":"31:'), 10_000);
    const order = [...reader.text().matchAll(/"status":"(\d+):/g)].map((m) => Number(m[1]));
    expect(order).toEqual(Array.from({ length: 32 }, (_, i) => i));
    expect(server.sessions().map((s) => s.id)).toEqual([reader.id]);
  });

  it('closes a stream whose reader falls more than maxQueuedBytes behind, and its session ends', async () => {
    const server = createDemoServer();
    const { url } = await startSse(server, { maxQueuedBytes: 256 * 1024 });
    const reader = await slowReader(url);
    await waitFor(() => expect(server.sessions().map((s) => s.id)).toEqual([reader.id]));
    reader.pause();
    const chunk = 'x'.repeat(64 * 1024);
    const sends: Promise<boolean>[] = [];
    for (let i = 0; i < 400 && server.sessions().length > 0; i++) {
      sends.push(server.notify(reader.id, StatusUpdate, { status: chunk }));
      if (i % 16 === 15) await new Promise((resolve) => setImmediate(resolve));
    }
    await waitFor(() => expect(server.sessions()).toEqual([]));
    const results = await Promise.all(sends);
    expect(results).toContain(false);
    await reader.closed;
    expect(await server.notify(reader.id, StatusUpdate, { status: 'gone' })).toBe(false);
  });
});
