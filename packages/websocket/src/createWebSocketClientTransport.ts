import type { IncomingMessage } from 'node:http';
import { TransportError, type Transport } from '@tidings/protocol';
import WebSocket from 'ws';
import { DEFAULT_CLOSE_TIMEOUT_MS, DEFAULT_MAX_BUFFERED_BYTES, DEFAULT_MAX_PAYLOAD, DEFAULT_MAX_QUEUED_MESSAGES } from './defaults.js';
import { createSocketTransport, type SocketTransport } from './socketTransport.js';
import { MCP_SUBPROTOCOL } from './upgradeRefusal.js';

/** Options of {@link createWebSocketClientTransport}. */
export interface WebSocketClientTransportOptions {
  /** Extra headers of the upgrade request (authorization, cookies). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Subprotocols offered; a Tidings server requires `mcp` among them when any are offered. @default ['mcp'] */
  readonly protocols?: readonly string[];
  /** Largest inbound message in bytes; a larger frame closes the connection with 1009. @default 4 MiB */
  readonly maxPayload?: number;
  /**
   * Bytes that may wait to be written to the server; a send that finds more
   * buffered closes the connection with 1013 and fails.
   * @default 8 MiB
   */
  readonly maxBufferedBytes?: number;
  /** Messages that may wait to be written to the server; past it the connection is closed with 1013. @default 10_000 */
  readonly maxQueuedMessages?: number;
  /** How long `close()` waits for the server's close frame before dropping the socket. @default 2000 */
  readonly closeTimeoutMs?: number;
  /** How long the opening handshake may take. @default 10_000 */
  readonly handshakeTimeoutMs?: number;
}

/** Longest part of a refused upgrade's response body quoted in the error. */
const MAX_REFUSAL_BODY = 512;

/**
 * A client Transport to an MCP WebSocket server (`ws://` or `wss://`), for
 * `client.connect(...)`. The socket opens when the client starts the
 * transport; `start` resolves once it is open and rejects with a
 * TransportError that quotes the server's answer when the upgrade is refused.
 * Messages sent meanwhile wait (bounded) and go out in order. When the
 * connection ends, by either side, the client is told (`sink.closed`); an
 * abnormal end carries a {@link WebSocketClosedError} with its close code.
 */
export function createWebSocketClientTransport(url: string | URL, options: WebSocketClientTransportOptions = {}): Transport {
  let inner: SocketTransport | undefined;
  let closedBeforeStart = false;

  return {
    kind: 'websocket',
    async start(sink) {
      if (inner) throw new TransportError('The WebSocket transport was already started');
      if (closedBeforeStart) throw new TransportError('The WebSocket transport was closed before it started');
      let socket: WebSocket;
      try {
        socket = new WebSocket(url, [...(options.protocols ?? [MCP_SUBPROTOCOL])], {
          headers: { ...options.headers },
          maxPayload: options.maxPayload ?? DEFAULT_MAX_PAYLOAD,
          perMessageDeflate: false,
          handshakeTimeout: options.handshakeTimeoutMs ?? 10_000,
        });
      } catch (error) {
        throw new TransportError(`Cannot open a WebSocket to ${String(url)}: ${(error as Error).message}`, { cause: error });
      }
      const transport = createSocketTransport(socket, {
        maxBufferedBytes: options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
        maxQueuedMessages: options.maxQueuedMessages ?? DEFAULT_MAX_QUEUED_MESSAGES,
        closeTimeoutMs: options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS,
      });
      inner = transport;
      socket.once('unexpected-response', (_request, response) => explainRefusal(response, transport));
      transport.start(sink);
      try {
        await transport.opened;
      } catch (error) {
        throw new TransportError(`Could not open a WebSocket to ${String(url)}: ${(error as Error).message}`, { cause: error });
      }
    },
    send(data, sendOptions) {
      return inner ? inner.send(data, sendOptions) : Promise.reject(new TransportError('The WebSocket transport is not started'));
    },
    close(reason) {
      if (!inner) {
        closedBeforeStart = true;
        return Promise.resolve();
      }
      return inner.close(reason);
    },
  };
}

/** Turns a non-101 answer to the upgrade into a clear error, quoting the start of its body. */
function explainRefusal(response: IncomingMessage, transport: SocketTransport): void {
  let body = '';
  let settled = false;
  const fail = (): void => {
    if (settled) return;
    settled = true;
    const detail = body.trim();
    const status = `${response.statusCode ?? '?'} ${response.statusMessage ?? ''}`.trim();
    transport.abort(
      new TransportError(`The server refused the WebSocket upgrade with HTTP ${status}${detail ? `: ${detail}` : ''}`),
    );
  };
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    body += chunk;
    if (body.length >= MAX_REFUSAL_BODY) {
      body = body.slice(0, MAX_REFUSAL_BODY);
      fail();
    }
  });
  response.on('end', fail);
  response.on('close', fail);
  response.on('error', fail);
}
