import type { Server, TransportError } from '@tidings/protocol';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { WEBSOCKET_CLOSE_CODES, WebSocketClosedError } from '../src/index.js';
import { createDemoServer } from './helpers/demoServer.js';
import { closeAll, serve, waitFor } from './helpers/harness.js';
import { initializeRaw, openRawClient } from './helpers/rawClient.js';
import { maskedTextFrame, openSilentPeer } from './helpers/silentPeer.js';

afterEach(closeAll);

const MAX_BUFFERED = 256 * 1024;
const PARAMS = { data: 'x'.repeat(1024) };
/** One notification as it goes on the wire, plus the largest server frame header (RFC 6455 §5.2: 10 bytes). */
const ONE_MESSAGE = Buffer.byteLength(JSON.stringify({ jsonrpc: '2.0', method: 'custom/blob', params: PARAMS })) + 10;
const MAX_NOTIFICATIONS = 20_000;
const LOOP_TIME_LIMIT_MS = 15_000;

/**
 * Fires notifications at one session without waiting for them (as a
 * broadcast to many sessions does), until the server gives up on the peer or
 * the bounds are hit. Reports the largest buffer seen after any send.
 */
async function flood(server: Server, sessionId: string, socket: WebSocket): Promise<{ sent: number; maxBuffered: number; outcomes: Promise<boolean>[] }> {
  const outcomes: Promise<boolean>[] = [];
  let maxBuffered = 0;
  const deadline = Date.now() + LOOP_TIME_LIMIT_MS;
  while (outcomes.length < MAX_NOTIFICATIONS && socket.readyState === WebSocket.OPEN && Date.now() < deadline) {
    for (let i = 0; i < 100 && outcomes.length < MAX_NOTIFICATIONS; i++) {
      outcomes.push(server.notify(sessionId, 'custom/blob', PARAMS));
      maxBuffered = Math.max(maxBuffered, socket.bufferedAmount);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { sent: outcomes.length, maxBuffered, outcomes };
}

describe('slow consumers over WebSocket', () => {
  it('closes a peer that stops reading with 1013, holding at most the bound plus one message', async () => {
    const server = createDemoServer();
    const sockets: WebSocket[] = [];
    const faults: TransportError[] = [];
    const endpoint = await serve(server, {
      maxBufferedBytes: MAX_BUFFERED,
      // Long enough for the paused client to read its backlog and the close frame once resumed.
      closeTimeoutMs: 20_000,
      onConnection: ({ socket }) => sockets.push(socket),
      onError: (error) => faults.push(error),
    });
    const raw = await openRawClient(endpoint.url);
    await initializeRaw(raw);
    await waitFor(() => expect(server.sessions()).toHaveLength(1));
    const sessionId = server.sessions()[0]!.id;
    const serverSocket = sockets[0]!;

    raw.socket.pause();
    const { maxBuffered, outcomes } = await flood(server, sessionId, serverSocket);

    expect(serverSocket.readyState).toBe(WebSocket.CLOSING);
    expect(maxBuffered).toBeGreaterThan(MAX_BUFFERED);
    expect(maxBuffered).toBeLessThanOrEqual(MAX_BUFFERED + ONE_MESSAGE);
    expect(faults.some((f) => f instanceof WebSocketClosedError && f.code === WEBSOCKET_CLOSE_CODES.TryAgainLater)).toBe(true);
    // Later sends to that peer fail at once instead of queueing.
    expect(await server.notify(sessionId, 'custom/blob', PARAMS)).toBe(false);

    raw.socket.resume();
    const closed = await raw.closed;
    expect(closed.code).toBe(WEBSOCKET_CLOSE_CODES.TryAgainLater);
    expect(closed.reason).toMatch(/slow consumer/);
    const results = await Promise.all(outcomes);
    expect(results.filter((ok) => !ok).length).toBeGreaterThan(0);
    await waitFor(() => expect(server.sessions()).toHaveLength(0));
  });

  it('drops a peer that never reads at all within closeTimeoutMs, its buffer still bounded', async () => {
    const server = createDemoServer();
    const sockets: WebSocket[] = [];
    const endpoint = await serve(server, {
      maxBufferedBytes: MAX_BUFFERED,
      closeTimeoutMs: 200,
      onConnection: ({ socket }) => sockets.push(socket),
    });
    const peer = await openSilentPeer(endpoint.url);
    peer.write(
      maskedTextFrame(
        JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'silent', version: '1.0.0' } },
        }),
      ),
    );
    peer.write(maskedTextFrame(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })));
    await waitFor(() => expect(server.sessions()).toHaveLength(1));
    const sessionId = server.sessions()[0]!.id;
    const serverSocket = sockets[0]!;

    const { maxBuffered, outcomes } = await flood(server, sessionId, serverSocket);

    expect(maxBuffered).toBeGreaterThan(MAX_BUFFERED);
    expect(maxBuffered).toBeLessThanOrEqual(MAX_BUFFERED + ONE_MESSAGE);
    // The peer never answers the close frame: the socket is dropped after closeTimeoutMs.
    await waitFor(() => expect(serverSocket.readyState).toBe(WebSocket.CLOSED));
    await waitFor(() => expect(server.sessions()).toHaveLength(0));
    expect(endpoint.connectionCount).toBe(0);
    const results = await Promise.all(outcomes);
    expect(results.filter((ok) => !ok).length).toBeGreaterThan(0);
  });
});
