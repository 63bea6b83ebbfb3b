import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { TransportError, type ConnectedClient, type Server } from '@tidings/protocol';
import WebSocket, { WebSocketServer as WsServer } from 'ws';
import { WEBSOCKET_CLOSE_CODES } from './closeCodes.js';
import { DEFAULT_CLOSE_TIMEOUT_MS, DEFAULT_HEARTBEAT_MS, DEFAULT_MAX_BUFFERED_BYTES, DEFAULT_MAX_PAYLOAD, DEFAULT_MAX_QUEUED_MESSAGES } from './defaults.js';
import { startHeartbeat, type HeartbeatPeer } from './heartbeat.js';
import { createSocketTransport } from './createSocketTransport.js';
import { WsSocketPort } from './node/wsSocketPort.js';
import type { SocketTransport } from './socketTransportTypes.js';
import { MCP_SUBPROTOCOL, pathOf, refuseUpgrade, writeRefusal } from './upgradeRefusal.js';
import { isLoopbackAddress } from '@tidings/protocol/http';
import { WebSocketClosedError } from './webSocketClosedError.js';

/** Options of {@link createWebSocketServer}. */
export interface WebSocketServerOptions {
  /** The Tidings server; every WebSocket connection is handed to its `connect`. */
  readonly server: Server;
  /**
   * An existing HTTP(S) server to attach to: upgrade requests on `path` become
   * MCP connections, everything else is left to it. Without it, the adapter
   * listens on `port` and `host` with a server of its own.
   */
  readonly httpServer?: HttpServer | HttpsServer;
  /** Port of the adapter's own server; read the chosen one from `url`. Ignored with `httpServer`. @default 0 */
  readonly port?: number;
  /** Interface of the adapter's own server. Ignored with `httpServer`. @default '127.0.0.1' */
  readonly host?: string;
  /**
   * Only upgrades on this path (query ignored) are accepted. With `httpServer`,
   * upgrades on other paths are left to the server's other `upgrade`
   * listeners, or answered 404 when there are none.
   * @default every path
   */
  readonly path?: string;
  /**
   * Browser origins allowed to connect (`Origin` header, compared without
   * case; `'*'` allows any); others get 403 on upgrade. A request without
   * `Origin` (not from a browser) is accepted.
   * @default on a loopback listener only loopback origins (DNS-rebinding protection), elsewhere only the server's own origin
   */
  readonly allowedOrigins?: readonly string[];
  /**
   * `Host` header values allowed (`example.com`, `example.com:8443`); others get 403.
   * @default on a loopback listener only loopback names, elsewhere any
   */
  readonly allowedHosts?: readonly string[];
  /** Largest inbound message in bytes; a larger frame closes the connection with 1009. @default 4 MiB */
  readonly maxPayload?: number;
  /** Interval of the ping/pong heartbeat; a peer silent for two intervals is dropped. 0 disables it. @default 30_000 */
  readonly heartbeatMs?: number;
  /**
   * Bytes that may wait to be written to one peer. A send that finds more
   * buffered closes that peer with 1013 (Try Again Later) and fails, and every
   * later send to it fails: a slow reader costs at most this plus one message.
   * @default 8 MiB
   */
  readonly maxBufferedBytes?: number;
  /** Messages that may wait to be written to one peer; past it the peer is closed with 1013 as above. @default 10_000 */
  readonly maxQueuedMessages?: number;
  /** How long a close started by the server waits for the peer's close frame before dropping the socket. @default 2000 */
  readonly closeTimeoutMs?: number;
  /** Called for each accepted connection, after it was handed to the Tidings server. Must not throw. */
  readonly onConnection?: (connection: WebSocketConnection) => void;
  /**
   * Faults of single connections, already handled (the connection was closed
   * or dropped): slow consumers, binary or oversized frames, dead peers,
   * socket errors. Must not throw.
   */
  readonly onError?: (error: TransportError) => void;
}

/** One accepted WebSocket connection, as `onConnection` reports it. */
export interface WebSocketConnection {
  /** The `ws` socket (read-only use: `bufferedAmount`, `protocol`, events). */
  readonly socket: WebSocket;
  /** The HTTP upgrade request (headers, remote address). */
  readonly request: IncomingMessage;
  /** The connection as the Tidings server sees it. */
  readonly client: ConnectedClient;
}

/** A running MCP WebSocket endpoint, returned by {@link createWebSocketServer}. */
export interface WebSocketServer {
  /** Where the HTTP server listens; undefined while it does not. */
  address(): AddressInfo | undefined;
  /** `ws://host:port/path` of the endpoint. Throws a TransportError while the HTTP server does not listen. */
  readonly url: string;
  /** Open connections right now. */
  readonly connectionCount: number;
  /**
   * Stops accepting upgrades, closes every connection with 1001 (Going Away),
   * dropping those that do not answer within `closeTimeoutMs`, then closes
   * the HTTP server if the adapter created it. Resolves when all is closed.
   * The Tidings server itself stays usable. Safe to call twice.
   */
  close(): Promise<void>;
}

interface Peer extends HeartbeatPeer {
  readonly transport: SocketTransport;
}

/**
 * Serves a Tidings server over WebSocket (PROTOCOL.md §websocket): one
 * connection is one MCP peer, one text frame one JSON-RPC message, subprotocol
 * `mcp`. Resolves once the adapter's own server listens (at once with
 * `httpServer`).
 *
 * Close codes sent: 1000 normal close, 1001 server shutdown, 1003 binary
 * frame, 1009 frame over `maxPayload`, 1013 slow consumer; a peer that misses
 * the heartbeat is dropped without a close frame (1006 at its end).
 * Upgrade refusals: 400 subprotocol without `mcp`, 403 origin, 404 path,
 * 503 shutting down.
 */
export async function createWebSocketServer(options: WebSocketServerOptions): Promise<WebSocketServer> {
  const ownsHttpServer = options.httpServer === undefined;
  const httpServer = options.httpServer ?? createHttpServer(answerPlainHttp);
  const maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const maxQueuedMessages = options.maxQueuedMessages ?? DEFAULT_MAX_QUEUED_MESSAGES;
  const closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
  const peers = new Set<Peer>();
  let closing: Promise<void> | undefined;

  const report = (error: TransportError): void => {
    try {
      options.onError?.(error);
    } catch {
      // A logging hook that throws must not take the socket's event handler down.
    }
  };

  const wss = new WsServer({
    noServer: true,
    clientTracking: false,
    maxPayload: options.maxPayload ?? DEFAULT_MAX_PAYLOAD,
    perMessageDeflate: false,
    // Only reached when no protocol or `mcp` was offered: refuseUpgrade turned the rest away.
    handleProtocols: (offered) => (offered.has(MCP_SUBPROTOCOL) ? MCP_SUBPROTOCOL : false),
  });

  const accept = (socket: WebSocket, request: IncomingMessage): void => {
    const transport = createSocketTransport(new WsSocketPort(socket), { maxBufferedBytes, maxQueuedMessages, closeTimeoutMs, onFault: report });
    const peer: Peer = { socket, transport, alive: true };
    const onPong = (): void => {
      peer.alive = true;
    };
    socket.on('pong', onPong);
    peers.add(peer);
    void transport.done.then(() => {
      socket.off('pong', onPong);
      peers.delete(peer);
    });
    const client = options.server.connect(transport);
    if (!options.onConnection) return;
    try {
      options.onConnection({ socket, request, client });
    } catch (error) {
      report(new TransportError('onConnection threw', { cause: error }));
    }
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (options.path !== undefined && pathOf(request.url) !== options.path) {
      // Another listener may own this path on a shared server.
      if (!ownsHttpServer && httpServer.listenerCount('upgrade') > 1) return;
      writeRefusal(socket, { status: 404, message: `No MCP WebSocket endpoint at ${pathOf(request.url)}` });
      return;
    }
    if (closing) {
      writeRefusal(socket, { status: 503, message: 'The MCP server is shutting down' });
      return;
    }
    const refusal = refuseUpgrade(request.headers, {
      allowedOrigins: options.allowedOrigins,
      allowedHosts: options.allowedHosts,
      loopback: isLoopbackAddress(request.socket.localAddress),
    });
    if (refusal) {
      writeRefusal(socket, refusal);
      return;
    }
    wss.handleUpgrade(request, socket, head, accept);
  };

  httpServer.on('upgrade', onUpgrade);
  const stopHeartbeat = startHeartbeat(options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS, peers, (peer) => {
    const error = new WebSocketClosedError(
      WEBSOCKET_CLOSE_CODES.AbnormalClosure,
      '',
      'The peer did not answer the heartbeat ping in time; connection dropped',
    );
    report(error);
    peer.transport.abort(error);
  });

  if (ownsHttpServer) {
    try {
      await listen(httpServer, options.port ?? 0, options.host ?? '127.0.0.1');
    } catch (error) {
      stopHeartbeat();
      httpServer.off('upgrade', onUpgrade);
      throw new TransportError(`Could not listen on ${options.host ?? '127.0.0.1'}:${options.port ?? 0}`, { cause: error });
    }
  }

  const address = (): AddressInfo | undefined => {
    const bound = httpServer.address();
    return bound !== null && typeof bound === 'object' ? bound : undefined;
  };

  const shutdown = async (): Promise<void> => {
    stopHeartbeat();
    const goingAway = [...peers].map((peer) =>
      peer.transport.closeWith(WEBSOCKET_CLOSE_CODES.GoingAway, 'server shutting down'),
    );
    await Promise.all(goingAway);
    httpServer.off('upgrade', onUpgrade);
    if (!ownsHttpServer) return;
    await new Promise<void>((resolve) => {
      httpServer.close(() => resolve());
      httpServer.closeAllConnections();
    });
  };

  return {
    address,
    get url() {
      const bound = address();
      if (!bound) throw new TransportError('The WebSocket server is not listening');
      const scheme = httpServer instanceof HttpsServer ? 'wss' : 'ws';
      const host = bound.family === 'IPv6' || bound.address.includes(':') ? `[${bound.address}]` : bound.address;
      return `${scheme}://${host}:${bound.port}${options.path ?? '/'}`;
    },
    get connectionCount() {
      return peers.size;
    },
    close() {
      closing ??= shutdown();
      return closing;
    },
  };
}

/** The adapter's own HTTP server answers plain requests with 426: this endpoint only speaks WebSocket. */
function answerPlainHttp(_request: IncomingMessage, response: ServerResponse): void {
  const body = `This endpoint speaks MCP over WebSocket (subprotocol "${MCP_SUBPROTOCOL}").\n`;
  response.writeHead(426, {
    Upgrade: 'websocket',
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  response.end(body);
}

function listen(server: HttpServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
