import type { Server, TransportError } from '@tidings/protocol';
import type { EventStore } from './eventStore.js';
import type { SessionStore } from './sessionStore.js';

/** Options of the Streamable HTTP handler, the same on every runtime and binding. */
export interface StreamableHttpHandlerOptions {
  /** The Tidings server every session and request is connected to. */
  readonly server: Server;
  /** The endpoint's path; requests to other paths get 404. @default any path (where the handler is mounted, the framework routes) */
  readonly path?: string;
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
  /** `retry` (ms) sent in priming events: how long a client waits before reconnecting. A finite number ≥ 0. @default 1000 */
  readonly retryMs?: number;
  /** Interval of `:` keep-alive comments on every open SSE stream; 0 disables them. @default 15000 */
  readonly keepAliveMs?: number;
  /**
   * Bytes that may wait for one SSE stream whose client reads too slowly.
   * Past it the stream is cut off (PROTOCOL.md §slow-consumers): a legacy
   * client resumes from the event store, a listen stream ends and its client
   * listens again, a request stream ends.
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
  /**
   * Shares legacy sessions with the other nodes of a cluster, so any node
   * answers any session's requests and GET streams (PROTOCOL.md
   * §shared-sessions): `createRedisSessionStore` from `@tidings/redis`.
   * Needs an `eventStore` the nodes share (`createRedisEventStore`) and the
   * server on the cluster (`createServer(info, { cluster })`). A session then
   * expires after `sessionIdleTimeoutMs` without activity on any node.
   * @default none: each session is this handler's own
   */
  readonly sessionStore?: SessionStore;
  /** Session ids for legacy sessions. @default crypto.randomUUID (cryptographically random) */
  readonly generateSessionId?: () => string;
  /** Faults that did not stop the handler (event store failures, a slow consumer cut off, a handler bug). @default console.error */
  readonly onError?: (error: TransportError) => void;
}

/** The Streamable HTTP handler's extras beside `handle` and `close`, whatever the binding. */
export interface StreamableHttpControls {
  /**
   * Closes the connection carrying a legacy stream without ending the stream:
   * the request goes on and the client resumes with `Last-Event-ID` (what a
   * server does to avoid holding connections; the referee's
   * `test_reconnection` tool calls it). Without `requestId`, the session's
   * GET stream. Returns false when there is no such stream.
   */
  closeSseStream(sessionId: string, requestId?: string | number): boolean;
  /** Legacy sessions open now. */
  readonly sessionCount: number;
}

/** A number option that must be finite and not negative; `fallback` when absent. */
export function finiteOption(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a finite number ≥ 0, got ${String(value)}`);
  return value;
}
