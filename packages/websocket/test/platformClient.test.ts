import { createHash } from 'node:crypto';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { createClient } from '@tidings/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WsWebSocket from 'ws';
import { expectFastMcpScenario } from '../../../test-support/fastMcpScenario.js';
import { createWebSocketClientTransport, WEBSOCKET_CLOSE_CODES, WebSocketClosedError, type PlatformWebSocketConstructor } from '../src/client.js';
import { createWebSocketClientTransport as createNodeClientTransport } from '../src/index.js';
import { createDemoServer, StatusUpdate } from './helpers/demoServer.js';
import { closeAll, ERAS, onCleanup, serve, waitFor } from './helpers/harness.js';

afterEach(closeAll);

/**
 * Node 20 has no global WebSocket, so `ws`'s class stands in for the browser's: it has the WHATWG
 * surface the client entry uses (addEventListener, binaryType, bufferedAmount, close(code, reason)).
 * This subclass records the subprotocols each socket offered.
 */
const offered: Array<string | string[] | undefined> = [];
class StandIn extends WsWebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols);
    offered.push(protocols);
  }
}
const PlatformWebSocket: PlatformWebSocketConstructor = StandIn;

function connectPlatformClient(url: string, era: 'legacy' | 'modern') {
  const client = createClient({ name: 'browser-client', version: '1.0.0' }, { era, onNotification: () => {} });
  onCleanup(() => client.close());
  return { client, connected: client.connect(createWebSocketClientTransport(url, { WebSocket: PlatformWebSocket })) };
}

describe.each(ERAS)('the client entry over a platform WebSocket (%s)', (era) => {
  it('offers mcp, runs a call with progress and list changes, and gets a broadcast notification', async () => {
    const server = createDemoServer();
    const endpoint = await serve(server);
    offered.length = 0;
    const { client, connected } = connectPlatformClient(endpoint.url, era);
    await connected;
    expect(offered).toEqual([['mcp']]);
    await waitFor(() => expect(server.sessions()).toMatchObject([{ era, transport: 'websocket' }]));

    await expectFastMcpScenario(client);

    const statuses: string[] = [];
    client.on(StatusUpdate, (params) => statuses.push(params.status));
    await client.listening();
    expect(await server.broadcast(StatusUpdate, { status: 'from the server' })).toBe(1);
    await waitFor(() => expect(statuses).toEqual(['from the server']));

    await client.close();
    await waitFor(() => expect(endpoint.connectionCount).toBe(0));
  });
});

describe('the client entry', () => {
  it('refuses the Node-only options with a clear error, and so does the root entry given a WebSocket class', () => {
    const url = 'ws://127.0.0.1:9/';
    expect(() => createWebSocketClientTransport(url, { WebSocket: PlatformWebSocket, headers: { Authorization: 'Bearer x' } })).toThrow(
      /`headers` is Node-only: the platform WebSocket cannot set upgrade headers .*"@tidings\/websocket"/,
    );
    expect(() => createWebSocketClientTransport(url, { WebSocket: PlatformWebSocket, headers: {}, maxPayload: 1024 })).toThrow(
      /`headers` and `maxPayload` are Node-only/,
    );
    expect(() => createNodeClientTransport(url, { WebSocket: PlatformWebSocket, maxPayload: 1024 })).toThrow(/`maxPayload` is Node-only/);
  });

  it('says what to do when the runtime has no WebSocket', () => {
    vi.stubGlobal('WebSocket', undefined);
    onCleanup(() => vi.unstubAllGlobals());
    expect(() => createWebSocketClientTransport('ws://127.0.0.1:9/')).toThrow(/no global WebSocket .*pass a WebSocket class/);
  });

  it('rejects start when nothing listens, and reports a server-side close to the client with its code', async () => {
    const endpoint = await serve(createDemoServer());
    const gone = endpoint.url;
    const reasons: Array<Error | undefined> = [];
    const second = createClient({ name: 'c', version: '1' }, { era: 'modern', onClose: (reason) => reasons.push(reason) });
    onCleanup(() => second.close());
    await second.connect(createWebSocketClientTransport(gone, { WebSocket: PlatformWebSocket }));

    await endpoint.close();
    await waitFor(() => expect(reasons).toHaveLength(1));
    expect(reasons[0]).toBeInstanceOf(WebSocketClosedError);
    expect((reasons[0] as WebSocketClosedError).code).toBe(WEBSOCKET_CLOSE_CODES.GoingAway);

    const refused = createClient({ name: 'c', version: '1' }, { era: 'modern' });
    await expect(refused.connect(createWebSocketClientTransport(gone, { WebSocket: PlatformWebSocket }))).rejects.toThrow(
      /The WebSocket did not open: connect ECONNREFUSED/,
    );
    const transport = createWebSocketClientTransport(gone, { WebSocket: PlatformWebSocket });
    await expect(transport.start({ message: () => {}, closed: () => {}, error: () => {} })).rejects.toThrow(
      /Could not open a WebSocket to ws:\/\/127\.0\.0\.1:\d+\/: The WebSocket did not open/,
    );
  });

  it('closes with 1013 once more than maxBufferedBytes wait for a server that stopped reading', async () => {
    const endpoint = await openNonReadingServer();
    const transport = createWebSocketClientTransport(endpoint.url, {
      WebSocket: PlatformWebSocket,
      maxBufferedBytes: 64 * 1024,
      // The server never answers the close frame either.
      closeTimeoutMs: 100,
    });
    onCleanup(() => transport.close());
    const closed: Array<Error | undefined> = [];
    await transport.start({ message: () => {}, closed: (reason) => void closed.push(reason), error: () => {} });

    const frame = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/message', params: { data: 'x'.repeat(100 * 1024) } });
    let failure: unknown;
    // The kernel's buffers take the first few megabytes; then the socket's own buffer grows past the bound.
    for (let sent = 0; sent < 10_000 && failure === undefined; sent++) {
      await transport.send(frame).catch((error: unknown) => (failure = error));
    }
    expect(failure).toBeInstanceOf(WebSocketClosedError);
    expect((failure as WebSocketClosedError).code).toBe(WEBSOCKET_CLOSE_CODES.TryAgainLater);
    expect((failure as Error).message).toMatch(/reads too slowly.*over the limit of 10000 messages or 65536 bytes/);
    await expect(transport.send('{}')).rejects.toBe(failure);
    await waitFor(() => expect(closed).toEqual([failure]));
  });
});

/**
 * A WebSocket endpoint on 127.0.0.1 that accepts the upgrade (subprotocol `mcp`, RFC 6455 §4.2.2)
 * and then never reads, so what a client sends piles up. Closed by `closeAll`.
 */
async function openNonReadingServer(): Promise<{ url: string }> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      socket.pause();
      const key = /sec-websocket-key:\s*(\S+)/i.exec(head)?.[1] ?? '';
      const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(
        'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          `Sec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: mcp\r\n\r\n`,
      );
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as { port: number };
  return { url: `ws://127.0.0.1:${port}/` };
}
