import type { IncomingMessage } from 'node:http';
import { TransportError, type Transport } from '@tidings/protocol';
import WebSocket from 'ws';
import {
  createWebSocketClientTransport as createPlatformClientTransport,
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  type WebSocketClientTransportOptions,
} from '../createWebSocketClientTransport.js';
import { DEFAULT_CLOSE_TIMEOUT_MS, DEFAULT_MAX_BUFFERED_BYTES, DEFAULT_MAX_PAYLOAD, DEFAULT_MAX_QUEUED_MESSAGES } from '../defaults.js';
import { MCP_SUBPROTOCOL } from '../mcpSubprotocol.js';
import { socketClientTransport } from '../socketClientTransport.js';
import { createSocketTransport } from '../createSocketTransport.js';
import type { SocketTransport } from '../socketTransportTypes.js';
import { WsSocketPort } from './wsSocketPort.js';

/** Longest part of a refused upgrade's response body quoted in the error. */
const MAX_REFUSAL_BODY = 512;

/**
 * A client Transport to an MCP WebSocket server (`ws://` or `wss://`) over
 * `ws`, for `client.connect(...)`; what the Node entry `@tidings/websocket`
 * exports. Supports every option, the Node-only `headers` and `maxPayload`
 * included; with `options.WebSocket` it uses that class instead, as the
 * runtime-neutral entry does.
 *
 * Offers the `mcp` subprotocol. The socket opens when the client starts the
 * transport; `start` resolves once it is open and rejects with a
 * TransportError that quotes the server's answer when the upgrade is refused.
 * Messages sent meanwhile wait (bounded) and go out in order. When the
 * connection ends, by either side, the client is told (`sink.closed`); an
 * abnormal end carries a `WebSocketClosedError` with its close code.
 */
export function createWebSocketClientTransport(url: string | URL, options: WebSocketClientTransportOptions = {}): Transport {
  if (options.WebSocket) return createPlatformClientTransport(url, options);
  return socketClientTransport(url, () => {
    const socket = new WebSocket(url, [...(options.protocols ?? [MCP_SUBPROTOCOL])], {
      headers: { ...options.headers },
      maxPayload: options.maxPayload ?? DEFAULT_MAX_PAYLOAD,
      perMessageDeflate: false,
      handshakeTimeout: options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
    });
    const transport = createSocketTransport(new WsSocketPort(socket), {
      maxBufferedBytes: options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
      maxQueuedMessages: options.maxQueuedMessages ?? DEFAULT_MAX_QUEUED_MESSAGES,
      closeTimeoutMs: options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS,
    });
    socket.once('unexpected-response', (_request, response) => explainRefusal(response, transport));
    return transport;
  });
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
