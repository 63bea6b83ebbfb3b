import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestId, Server, TransportError } from '@tidings/protocol';
import type { EventStore } from './eventStore.js';

/** Options of {@link createStreamableHttpHandler}. */
export interface StreamableHttpHandlerOptions {
  /** The Tidings server every session and request is connected to. */
  readonly server: Server;
  /**
   * Where legacy SSE events wait for a client that reconnects with
   * `Last-Event-ID`, and where messages for a session wait while no GET
   * stream is open. `false` turns resumability off (no event ids, no
   * priming events; a message with no open stream then fails to send).
   * @default createInMemoryEventStore()
   */
  readonly eventStore?: EventStore | false;
  /** Origins allowed to call; see `OriginPolicy`. @default loopback origins on a loopback address, the same origin elsewhere */
  readonly allowedOrigins?: readonly string[];
  /** `Host` values allowed; see `OriginPolicy`. @default loopback names on a loopback address, any elsewhere */
  readonly allowedHosts?: readonly string[];
  /** Largest POST body accepted; larger ones get 413. @default 4 MiB */
  readonly maxBodyBytes?: number;
  /** `retry` (ms) sent in priming events: how long a client waits before reconnecting. @default 1000 */
  readonly retryMs?: number;
  /** Interval of `:` keep-alive comments on every open SSE stream; 0 disables them. @default 15000 */
  readonly keepAliveMs?: number;
  /**
   * Bytes that may wait in Node's buffer for one SSE stream whose client
   * reads too slowly. Past it the stream is cut off (PROTOCOL.md
   * §slow-consumers): a legacy client resumes from the event store, a listen
   * stream ends and its client listens again, a request stream ends.
   * @default 8 MiB
   */
  readonly maxQueuedBytes?: number;
  /** Messages that may wait for one SSE stream, beside `maxQueuedBytes`. @default 10_000 */
  readonly maxQueuedMessages?: number;
  /** A legacy session with no open stream and no request for this long is closed (the client then gets 404). @default 1_800_000 (30 min) */
  readonly sessionIdleTimeoutMs?: number;
  /**
   * How legacy (initialize-era) clients are served: `sessions` mints an
   * `Mcp-Session-Id` per initialize with a GET stream and resumability;
   * `stateless` serves each POST on its own (no session, no GET stream,
   * no server-initiated notifications).
   * @default 'sessions'
   */
  readonly legacy?: 'sessions' | 'stateless';
  /**
   * The JSON Schema of a tool's arguments, by tool name, so modern
   * `tools/call` requests get their `Mcp-Param-*` headers (from `x-mcp-header`
   * annotations) checked against the body (2026-07-28 streamable-http §custom
   * headers).
   * @default the schemas of the tools registered on `server`
   */
  readonly toolInputSchema?: (name: string) => unknown;
  /** Session ids for legacy sessions. @default crypto.randomUUID (cryptographically random) */
  readonly generateSessionId?: () => string;
  /** Faults that did not stop the handler (event store failures, a handler bug). @default console.error */
  readonly onError?: (error: TransportError) => void;
}

/**
 * A Node request handler serving both eras of Streamable HTTP on one
 * endpoint. Works with `node:http`, express (`app.all('/mcp', handler)`,
 * with or without `express.json()`) and fastify (`handler(request.raw,
 * reply.raw, request.body)` after `reply.hijack()`).
 */
export interface StreamableHttpHandler {
  /**
   * Serves one HTTP request. The third argument is a body some framework
   * already parsed (a function there, express's `next`, is ignored and
   * `req.body` is used). Resolves once the request is routed; a streaming
   * reply goes on after that. Never rejects.
   */
  (req: IncomingMessage & { body?: unknown }, res: ServerResponse, body?: unknown): Promise<void>;
  /** Ends every session, request and stream of this handler and disarms its timers. The server itself stays open. */
  close(): Promise<void>;
  /**
   * Closes the connection carrying a legacy stream without ending the stream:
   * the request goes on and the client resumes with `Last-Event-ID` (what a
   * server does to avoid holding connections; the referee's
   * `test_reconnection` tool calls it). Without `requestId`, the session's
   * GET stream. Returns false when there is no such stream.
   */
  closeSseStream(sessionId: string, requestId?: RequestId): boolean;
  /** Legacy sessions open now. */
  readonly sessionCount: number;
}
