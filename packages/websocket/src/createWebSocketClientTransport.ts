import { TransportError, type Transport } from '@tidings/protocol';
import { DEFAULT_CLOSE_TIMEOUT_MS, DEFAULT_MAX_BUFFERED_BYTES, DEFAULT_MAX_QUEUED_MESSAGES } from './defaults.js';
import { MCP_SUBPROTOCOL } from './mcpSubprotocol.js';
import { createSocketTransport } from './createSocketTransport.js';
import { platformSocketPort } from './platformSocketPort.js';
import { platformWebSocket, type PlatformWebSocketConstructor } from './platformWebSocket.js';
import { socketClientTransport } from './socketClientTransport.js';

/**
 * Options of `createWebSocketClientTransport`, the same for both entries.
 * `headers` and `maxPayload` are Node-only: only the `ws` package (the root
 * entry `@tidings/websocket`) can set upgrade headers or cap inbound frames,
 * and the runtime-neutral entry `@tidings/websocket/client` refuses them.
 */
export interface WebSocketClientTransportOptions {
  /**
   * Node only (`@tidings/websocket`, `ws`): extra headers of the upgrade request
   * (authorization, cookies). A browser cannot set them (it sends its own
   * cookies), so the platform WebSocket refuses this option.
   */
  readonly headers?: Readonly<Record<string, string>>;
  /** Subprotocols offered; a Tidings server requires `mcp` among them when any are offered. @default ['mcp'] */
  readonly protocols?: readonly string[];
  /**
   * Node only (`@tidings/websocket`, `ws`): largest inbound message in bytes; a
   * larger frame closes the connection with 1009. The platform WebSocket has no
   * such limit, so it refuses this option.
   * @default 4 MiB
   */
  readonly maxPayload?: number;
  /**
   * Bytes that may wait to be written to the server (`bufferedAmount` on the
   * platform WebSocket); a send that finds more buffered closes the connection
   * with 1013 and fails.
   * @default 8 MiB
   */
  readonly maxBufferedBytes?: number;
  /** Messages that may wait to be written to the server; past it the connection is closed with 1013. @default 10_000 */
  readonly maxQueuedMessages?: number;
  /** How long `close()` waits for the server's close frame before dropping the socket. @default 2000 */
  readonly closeTimeoutMs?: number;
  /** How long the opening handshake may take. @default 10_000 */
  readonly handshakeTimeoutMs?: number;
  /**
   * The WHATWG `WebSocket` class to use instead of `globalThis.WebSocket`
   * (which Node 20 lacks). With it, the root entry uses it too instead of `ws`,
   * and refuses the Node-only options.
   * @default globalThis.WebSocket (the client entry); `ws` (the root entry)
   */
  readonly WebSocket?: PlatformWebSocketConstructor;
}

/** The default handshake timeout of both entries: 10 s. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * A client Transport to an MCP WebSocket server (`ws://` or `wss://`) over the
 * platform WebSocket (browsers, Deno, Bun, Workers, Node ≥ 22; or
 * `options.WebSocket`), for `client.connect(...)`; what
 * `@tidings/websocket/client` exports. It imports no Node built-in and not `ws`.
 *
 * Offers the `mcp` subprotocol. `start` resolves once the socket is open and
 * rejects with a TransportError when it closes first (a browser does not say
 * whether the upgrade was refused or nothing listens). Messages sent meanwhile
 * wait (bounded) and go out in order. When the connection ends, the client is
 * told (`sink.closed`); an abnormal end carries a `WebSocketClosedError`.
 *
 * Throws a TransportError at once for the Node-only options (`headers`,
 * `maxPayload`) and when the runtime has no WebSocket and none is passed.
 */
export function createWebSocketClientTransport(url: string | URL, options: WebSocketClientTransportOptions = {}): Transport {
  const nodeOnly = (['headers', 'maxPayload'] as const).filter((name) => options[name] !== undefined);
  if (nodeOnly.length > 0) {
    throw new TransportError(
      `${nodeOnly.map((name) => `\`${name}\``).join(' and ')} ${nodeOnly.length > 1 ? 'are' : 'is'} Node-only: the platform WebSocket ` +
        'cannot set upgrade headers or limit inbound frames. Use createWebSocketClientTransport from "@tidings/websocket" (ws) on Node, ' +
        'or leave them out (a browser sends its own cookies; put a token in the URL if the server accepts one)',
    );
  }
  const WebSocketClass = platformWebSocket(options.WebSocket);
  return socketClientTransport(url, () =>
    createSocketTransport(platformSocketPort(new WebSocketClass(String(url), [...(options.protocols ?? [MCP_SUBPROTOCOL])])), {
      maxBufferedBytes: options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
      maxQueuedMessages: options.maxQueuedMessages ?? DEFAULT_MAX_QUEUED_MESSAGES,
      closeTimeoutMs: options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS,
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
    }),
  );
}
