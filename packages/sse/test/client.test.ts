import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, ProtocolError, TransportError } from '@tidings/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createSseClientTransport, createSseHandler } from '../src/index.js';
import { createDemoServer } from './helpers/demoServer.js';
import { closeAll, track, waitFor } from './helpers/harness.js';

afterEach(closeAll);

type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>;

/** A node:http server on 127.0.0.1 that reads each body, then calls `route`. */
async function serve(route: Route): Promise<string> {
  const http = createHttpServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (part: string) => (body += part));
    req.on('end', () => void route(req, res, body));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  track(
    () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  );
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

/** A real Tidings SSE handler behind `intercept`, which may answer a POST itself (return true). */
async function serveTidings(intercept: (req: IncomingMessage, res: ServerResponse, body: string) => boolean): Promise<string> {
  const server = createDemoServer();
  const handler = createSseHandler({ server });
  track(() => server.close());
  track(() => handler.close());
  const origin = await serve((req, res, body) => {
    if (intercept(req, res, body)) return;
    (req as { body?: unknown }).body = req.method === 'POST' ? body : undefined;
    return handler(req, res);
  });
  return `${origin}/sse`;
}

function newClient(onError: TransportError[] = [], onClose?: (reason?: Error) => void) {
  const client = createClient({ name: 'test-client', version: '1.0.0' }, { era: 'legacy', onError: (e) => void onError.push(e), onClose });
  track(() => client.close());
  return client;
}

const openStream = (res: ServerResponse, endpoint: string): void => {
  res.writeHead(200, { 'Content-Type': 'text/event-stream' });
  res.write(`event: endpoint\ndata: ${endpoint}\n\n`);
};

describe('createSseClientTransport', () => {
  it('refuses an endpoint on another origin and closes the stream', async () => {
    let streamClosed = false;
    const posts: string[] = [];
    const origin = await serve((req, res, body) => {
      if (req.method === 'POST') {
        posts.push(body);
        res.writeHead(202).end();
        return;
      }
      res.on('close', () => (streamClosed = true));
      openStream(res, 'http://evil.example:8080/messages?sessionId=abc');
    });
    const errors: TransportError[] = [];
    const client = newClient(errors);
    const connecting = client.connect(createSseClientTransport(`${origin}/sse`));
    await expect(connecting).rejects.toThrow(/origin differs/);
    await expect(connecting).rejects.toBeInstanceOf(ProtocolError);
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('Refused the endpoint http://evil.example:8080/messages')]);
    expect(errors[0]).toBeInstanceOf(TransportError);
    await waitFor(() => expect(streamClosed).toBe(true));
    expect(posts).toEqual([]);
  });

  it('resolves a relative endpoint against the stream URL and sends the configured headers', async () => {
    const seen: Array<[string, string | undefined]> = [];
    const origin = await serveTidings((req) => {
      seen.push([req.method ?? '', req.headers.authorization]);
      return false;
    });
    let calls = 0;
    const transport = createSseClientTransport(origin, { headers: () => ({ Authorization: `Bearer t0ken-${calls++ === 0 ? 'get' : 'post'}` }) });
    const client = newClient();
    await client.connect(transport);
    expect(transport.endpoint?.href).toBe(`${new URL(origin).origin}/messages?sessionId=${transport.sessionId}`);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen[0]).toEqual(['GET', 'Bearer t0ken-get']);
    expect(seen.slice(1).every(([method, auth]) => method === 'POST' && auth === 'Bearer t0ken-post')).toBe(true);

    const relative = await serve((req, res) => {
      if (req.method === 'GET') openStream(res, 'post?sessionId=rel');
    });
    const other = createSseClientTransport(`${relative}/base/sse`);
    other.start({ message() {}, closed() {}, error() {} });
    track(() => other.close());
    await waitFor(() => expect(other.endpoint?.href).toBe(`${relative}/base/post?sessionId=rel`));
    expect(other.sessionId).toBe('rel');
  });

  it('fails a request whose POST gets an HTTP error at once, reports it, and keeps the connection', async () => {
    const origin = await serveTidings((req, res, body) => {
      if (req.method === 'POST' && body.includes('"tools/call"')) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32603, message: 'database is down' } }));
        return true;
      }
      return false;
    });
    const errors: TransportError[] = [];
    const client = newClient(errors);
    await client.connect(createSseClientTransport(origin));
    // The default request timeout is 60 s: a rejection within the test's 5 s means it did not wait for it.
    const call = client.callTool('long_running_task', { task_name: 'x' });
    await expect(call).rejects.toThrow(/HTTP 500 \(database is down\)/);
    expect(errors.map((e) => e.message)).toEqual(['The server refused a message: HTTP 500 (database is down)']);
    await client.ping();
  });

  it('closes the connection when a POST gets 404 (the session is gone), so nothing waits on it', async () => {
    let forget = false;
    const origin = await serveTidings((req, res) => {
      if (req.method === 'POST' && forget) {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Session not found' } }));
        return true;
      }
      return false;
    });
    let closedWith: Error | undefined;
    const client = newClient([], (reason) => (closedWith = reason));
    await client.connect(createSseClientTransport(origin));
    forget = true;
    await expect(client.ping()).rejects.toThrow(/HTTP 404 \(Session not found\)/);
    expect(closedWith).toBeInstanceOf(TransportError);
    await expect(client.ping()).rejects.toMatchObject({ code: 'ConnectionClosed' });
  });

  it('fails to connect when the GET is refused, with the status in the error', async () => {
    const origin = await serve((_req, res) => {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { code: -32600, message: 'token required' } }));
    });
    const errors: TransportError[] = [];
    await expect(newClient(errors).connect(createSseClientTransport(`${origin}/sse`))).rejects.toThrow(/HTTP 401 \(token required\)/);
    expect(errors).toHaveLength(1);
  });

  it('closes when the server ends the stream, failing pending requests', async () => {
    let stream: ServerResponse | undefined;
    let called = false;
    const origin = await serveTidings((req, res, body) => {
      if (req.method === 'GET') stream = res;
      if (body.includes('"tools/call"')) called = true;
      return false;
    });
    let closedWith: Error | undefined;
    const client = newClient([], (reason) => (closedWith = reason));
    await client.connect(createSseClientTransport(origin));
    const pending = client.callTool('long_running_task', { task_name: 'slow', steps: 1, delay_ms: 2000 });
    await waitFor(() => expect(called).toBe(true));
    stream!.end();
    await expect(pending).rejects.toMatchObject({ code: 'ConnectionClosed', message: expect.stringContaining('ended the SSE stream') });
    expect(closedWith?.message).toBe('The server ended the SSE stream');
  });

  it('aborts the stream on close(), which ends the server session', async () => {
    const server = createDemoServer();
    const handler = createSseHandler({ server });
    track(() => server.close());
    track(() => handler.close());
    const origin = await serve((req, res, body) => {
      (req as { body?: unknown }).body = req.method === 'POST' ? body : undefined;
      return handler(req, res);
    });
    const client = newClient();
    await client.connect(createSseClientTransport(`${origin}/sse`));
    expect(server.sessions()).toHaveLength(1);
    await client.close();
    await waitFor(() => expect(server.sessions()).toEqual([]));
  });
});
