import { createServer as createHttpServer, get, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TransportError } from '@tidings/protocol';
import WebSocket, { WebSocketServer as WsServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { WEBSOCKET_CLOSE_CODES, WebSocketClosedError } from '../src/index.js';
import { createDemoServer } from './helpers/demoServer.js';
import { closeAll, connectClient, onCleanup, serve, waitFor } from './helpers/harness.js';
import { initializeRaw, openRawClient } from './helpers/rawClient.js';

afterEach(closeAll);

/** Tries an upgrade; resolves with the HTTP status and body of a refusal, or 101 and the chosen subprotocol. */
function tryUpgrade(url: string, protocols: string[], options: WebSocket.ClientOptions = {}): Promise<{ status: number; body: string; protocol?: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols, options);
    socket.on('error', reject);
    socket.on('open', () => {
      resolve({ status: 101, body: '', protocol: socket.protocol });
      socket.close();
    });
    socket.on('unexpected-response', (_request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, body });
        socket.terminate();
      });
    });
  });
}

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

async function listenOnLoopback(server: HttpServer): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(() => new Promise((resolve) => server.close(resolve)));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('createWebSocketServer', () => {
  it('listens on 127.0.0.1 by default and answers plain HTTP with 426', async () => {
    const endpoint = await serve(createDemoServer());
    expect(endpoint.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/$/);
    expect(endpoint.address()).toMatchObject({ address: '127.0.0.1' });
    const answer = await httpGet(endpoint.url.replace('ws:', 'http:'));
    expect(answer.status).toBe(426);
    expect(answer.body).toMatch(/WebSocket/);
  });

  it('negotiates subprotocol mcp, accepts a client that offers none, refuses one that offers others without mcp', async () => {
    const endpoint = await serve(createDemoServer());
    expect(await tryUpgrade(endpoint.url, ['other', 'mcp'])).toMatchObject({ status: 101, protocol: 'mcp' });
    expect(await tryUpgrade(endpoint.url, [])).toMatchObject({ status: 101, protocol: '' });
    const refused = await tryUpgrade(endpoint.url, ['graphql-ws']);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatch(/offer "mcp"/);
  });

  it('checks Origin against allowedOrigins with 403', async () => {
    const endpoint = await serve(createDemoServer(), { allowedOrigins: ['http://good.example'] });
    const refused = await tryUpgrade(endpoint.url, ['mcp'], { origin: 'http://evil.example' });
    expect(refused).toMatchObject({ status: 403, body: expect.stringContaining('http://evil.example') });
    expect(await tryUpgrade(endpoint.url, ['mcp'], { origin: 'http://GOOD.example' })).toMatchObject({ status: 101 });
    // No Origin: not a browser, nothing to protect against.
    expect(await tryUpgrade(endpoint.url, ['mcp'])).toMatchObject({ status: 101 });
  });

  it('attaches to an existing http.Server on a path and leaves the rest of it alone', async () => {
    const httpServer = createHttpServer((_request, response) => response.end('plain http'));
    const host = await listenOnLoopback(httpServer);
    const server = createDemoServer();
    const endpoint = await serve(server, { httpServer, path: '/mcp' });
    expect(endpoint.url).toBe(`ws://${host}/mcp`);

    const client = await connectClient(`${endpoint.url}?token=1`, { era: 'legacy' });
    expect((await client.callTool('long_running_task', { task_name: 'attached', steps: 1 })).content).toEqual([
      { type: 'text', text: "Task 'attached' completed" },
    ]);
    expect(await httpGet(`http://${host}/`)).toEqual({ status: 200, body: 'plain http' });
    expect(await tryUpgrade(`ws://${host}/elsewhere`, ['mcp'])).toMatchObject({ status: 404 });

    await endpoint.close();
    // The adapter closed its connections, not the server it was given.
    expect(httpServer.listening).toBe(true);
    expect(await httpGet(`http://${host}/`)).toEqual({ status: 200, body: 'plain http' });
  });

  it('leaves upgrades on other paths to another upgrade listener of a shared server', async () => {
    const httpServer = createHttpServer();
    const host = await listenOnLoopback(httpServer);
    const other = new WsServer({ noServer: true });
    onCleanup(() => other.close());
    httpServer.on('upgrade', (request, socket, head) => {
      if (request.url === '/other') other.handleUpgrade(request, socket, head, (ws) => ws.close(4000, 'other endpoint'));
    });
    await serve(createDemoServer(), { httpServer, path: '/mcp' });
    const raw = await openRawClient(`ws://${host}/other`, []);
    expect(await raw.closed).toEqual({ code: 4000, reason: 'other endpoint' });
  });

  it('drops a peer that stops answering heartbeat pings', async () => {
    const faults: TransportError[] = [];
    const server = createDemoServer();
    const endpoint = await serve(server, { heartbeatMs: 50, onError: (error) => faults.push(error) });
    const healthy = await connectClient(endpoint.url, { era: 'legacy' });
    // A second peer that answers pings (ws does automatically), whose pings the test counts.
    const witness = await openRawClient(endpoint.url, ['mcp']);
    let pings = 0;
    witness.socket.on('ping', () => pings++);
    const dead = await openRawClient(endpoint.url, ['mcp'], { autoPong: false });
    await initializeRaw(dead);
    await waitFor(() => expect(server.sessions()).toHaveLength(2));

    const closed = await dead.closed;
    expect(closed.code).toBe(WEBSOCKET_CLOSE_CODES.AbnormalClosure);
    expect(faults.some((f) => /heartbeat/.test(f.message))).toBe(true);
    await waitFor(() => expect(server.sessions()).toHaveLength(1));
    // The peers that answer pings stay, over several intervals: the marker is five more pings at the
    // witness, each sent by a heartbeat round that would have dropped a peer that stopped answering.
    const pingsBefore = pings;
    await waitFor(() => expect(pings).toBeGreaterThanOrEqual(pingsBefore + 5));
    expect(endpoint.connectionCount).toBe(2);
    expect(server.sessions()).toHaveLength(1);
    expect((await healthy.callTool('long_running_task', { task_name: 'alive', steps: 1 })).content).toHaveLength(1);
  });

  it('close() ends every connection with 1001, then stops listening', async () => {
    const server = createDemoServer();
    const endpoint = await serve(server);
    const url = endpoint.url;
    const reasons: Array<Error | undefined> = [];
    await connectClient(url, { era: 'legacy', onClose: (reason) => reasons.push(reason) });
    await connectClient(url, { era: 'modern', onClose: (reason) => reasons.push(reason) });
    const raw = await openRawClient(url);
    expect(endpoint.connectionCount).toBe(3);

    await endpoint.close();

    expect(endpoint.connectionCount).toBe(0);
    expect((await raw.closed).code).toBe(WEBSOCKET_CLOSE_CODES.GoingAway);
    await waitFor(() => expect(reasons).toHaveLength(2));
    for (const reason of reasons) {
      expect(reason).toBeInstanceOf(WebSocketClosedError);
      expect((reason as WebSocketClosedError).code).toBe(WEBSOCKET_CLOSE_CODES.GoingAway);
    }
    expect(server.sessions()).toEqual([]);
    expect(endpoint.address()).toBeUndefined();
    await expect(tryUpgrade(url, ['mcp'])).rejects.toThrow(/ECONNREFUSED/);
    await endpoint.close();
  });

  it('close() does not wait longer than closeTimeoutMs for a peer that never answers', async () => {
    const endpoint = await serve(createDemoServer(), { closeTimeoutMs: 100 });
    const raw = await openRawClient(endpoint.url);
    // A paused client cannot answer the close frame.
    raw.socket.pause();
    await endpoint.close();
    expect(endpoint.connectionCount).toBe(0);
  });
});
