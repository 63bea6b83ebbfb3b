import type { TransportSink } from '@tidings/protocol';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../../test-support/waitFor.js';
import { createWebSocketClientTransport, WEBSOCKET_CLOSE_CODES, WebSocketClosedError, type PlatformWebSocketConstructor } from '../src/client.js';

/**
 * What a browser's WebSocket does that `ws` does not: an error event without a message, a
 * `close()` that throws for codes other than 1000 and 3000–4999, and a `bufferedAmount` that
 * only the test drains. Driven by hand, so no network is involved.
 */
class BrowserSocket {
  static last: BrowserSocket;
  readyState = 0;
  bufferedAmount = 0;
  binaryType = 'blob';
  readonly sent: string[] = [];
  readonly closes: Array<[number | undefined, string | undefined]> = [];
  readonly #listeners = new Map<string, Set<(event?: unknown) => void>>();

  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
  ) {
    BrowserSocket.last = this;
  }

  send(data: string): void {
    this.sent.push(data);
    this.bufferedAmount += data.length;
  }

  close(code?: number, reason?: string): void {
    if (code !== undefined && code !== 1000 && (code < 3000 || code > 4999)) throw new Error(`InvalidAccessError: ${code}`);
    this.closes.push([code, reason]);
    this.readyState = 2;
  }

  addEventListener(type: string, listener: (event?: unknown) => void): void {
    if (!this.#listeners.has(type)) this.#listeners.set(type, new Set());
    this.#listeners.get(type)!.add(listener);
  }

  removeEventListener(type: string, listener: (event?: unknown) => void): void {
    this.#listeners.get(type)?.delete(listener);
  }

  fire(type: 'open' | 'message' | 'error' | 'close', event?: unknown): void {
    if (type === 'open') this.readyState = 1;
    if (type === 'close') this.readyState = 3;
    for (const listener of this.#listeners.get(type) ?? []) listener(event);
  }
}
const WebSocket = BrowserSocket as unknown as PlatformWebSocketConstructor;

function recordingSink(): TransportSink & { messages: unknown[]; closedWith: Array<Error | undefined> } {
  const messages: unknown[] = [];
  const closedWith: Array<Error | undefined> = [];
  return { messages, closedWith, message: (data) => messages.push(data), closed: (reason) => void closedWith.push(reason), error: () => {} };
}

async function openTransport(options: Parameters<typeof createWebSocketClientTransport>[1] = {}) {
  const transport = createWebSocketClientTransport('wss://example.test/mcp', { WebSocket, ...options });
  const sink = recordingSink();
  const started = transport.start(sink);
  const socket = BrowserSocket.last;
  socket.fire('open');
  await started;
  return { transport, sink, socket };
}

describe('the client entry on a browser-like WebSocket', () => {
  it('offers mcp, reads text frames, asks for ArrayBuffers, and reports a failed handshake it cannot explain', async () => {
    const { sink, socket } = await openTransport();
    expect(socket.protocols).toEqual(['mcp']);
    expect(socket.binaryType).toBe('arraybuffer');
    socket.fire('message', { data: '{"jsonrpc":"2.0","method":"x"}' });
    expect(sink.messages).toEqual(['{"jsonrpc":"2.0","method":"x"}']);

    const refused = createWebSocketClientTransport('wss://example.test/mcp', { WebSocket });
    const started = refused.start(recordingSink());
    BrowserSocket.last.fire('error', {});
    BrowserSocket.last.fire('close', { code: 1006, reason: '' });
    await expect(started).rejects.toThrow(
      'Could not open a WebSocket to wss://example.test/mcp: The WebSocket did not open: closed with code 1006; the server may be down or have refused the upgrade',
    );
  });

  it('closes with 1013 past maxQueuedMessages while bufferedAmount never drains; sent as 1000, reported as 1013', async () => {
    const { transport, sink, socket } = await openTransport({ maxQueuedMessages: 2 });
    await transport.send('one');
    await transport.send('two');
    const failure = await transport.send('three').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WebSocketClosedError);
    expect((failure as WebSocketClosedError).code).toBe(WEBSOCKET_CLOSE_CODES.TryAgainLater);
    expect(socket.sent).toEqual(['one', 'two']);
    // The browser refuses 1013 from a script: the frame says 1000 and why.
    expect(socket.closes).toEqual([[1000, 'slow consumer: too much unread data']]);
    socket.fire('close', { code: 1000, reason: 'slow consumer: too much unread data' });
    expect(sink.closedWith).toEqual([failure]);
  });

  it('counts only what waits: a drained buffer lets sending go on, a full one closes at maxBufferedBytes', async () => {
    const { transport, socket } = await openTransport({ maxQueuedMessages: 2, maxBufferedBytes: 10 });
    for (let i = 0; i < 5; i++) {
      await transport.send('drained');
      socket.bufferedAmount = 0;
    }
    await transport.send('x'.repeat(11));
    await expect(transport.send('y')).rejects.toThrow(/reads too slowly: 1 messages \(11 bytes\)/);
    expect(socket.sent).toHaveLength(6);
  });

  it('closes on a binary frame (1003 locally) and, when the peer never answers the close, gives up after closeTimeoutMs', async () => {
    const { sink, socket } = await openTransport({ closeTimeoutMs: 10 });
    socket.fire('message', { data: new ArrayBuffer(4) });
    expect(socket.closes).toEqual([[1000, 'binary frames are not supported: send each JSON-RPC message as a text frame']]);
    await waitFor(() => expect(sink.closedWith).toHaveLength(1));
    expect((sink.closedWith[0] as WebSocketClosedError).code).toBe(WEBSOCKET_CLOSE_CODES.UnsupportedData);
  });
});
