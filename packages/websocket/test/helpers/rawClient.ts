import WebSocket from 'ws';
import { onCleanup, waitFor } from './harness.js';

/** A `ws` client driven by hand: records every JSON message and how the connection closed. */
export interface RawClient {
  readonly socket: WebSocket;
  readonly received: Array<Record<string, any>>;
  /** Settles with the close code and reason once the connection is closed. */
  readonly closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  sendText(text: string): void;
  /** Waits for a received message that `match` accepts. */
  waitForMessage(match: (message: Record<string, any>) => boolean, timeoutMs?: number): Promise<Record<string, any>>;
}

/** Opens a raw client (subprotocol `mcp` unless told), terminated by `closeAll`. */
export async function openRawClient(url: string, protocols: string[] = ['mcp'], options: WebSocket.ClientOptions = {}): Promise<RawClient> {
  const socket = new WebSocket(url, protocols, options);
  onCleanup(() => socket.terminate());
  const received: Array<Record<string, any>> = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') }));
  });
  socket.on('error', () => {});
  socket.on('message', (data, isBinary) => {
    if (!isBinary) received.push(JSON.parse(String(data)));
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    received,
    closed,
    send: (message) => socket.send(JSON.stringify(message)),
    sendText: (text) => socket.send(text),
    async waitForMessage(match, timeoutMs = 5000) {
      let found: Record<string, any> | undefined;
      await waitFor(() => {
        found = received.find(match);
        if (!found) throw new Error('no matching message yet');
      }, timeoutMs);
      return found!;
    },
  };
}

/** Runs the legacy handshake by hand, so the connection is a session of the server. */
export async function initializeRaw(client: RawClient, id = 'init'): Promise<Record<string, any>> {
  client.send({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1.0.0' } },
  });
  const response = await client.waitForMessage((m) => m.id === id);
  client.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  return response;
}
