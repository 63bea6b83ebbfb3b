import type { Era } from './constants.js';
import type { ProtocolErrorCode, TransportError } from './errors.js';
import type { RequestId } from './schemas/jsonrpc.js';
import type { SharedSessionLink } from './session/sharedSession.js';

/**
 * What a transport calls when something arrives. The engine implements it;
 * a transport author only calls it.
 */
export interface TransportSink {
  /**
   * One inbound message. A `string` is raw JSON text that the core parses
   * (a parse failure is answered with −32700); any other value is JSON the
   * transport already parsed (HTTP adapters parse bodies to check headers).
   */
  message(data: unknown): void;
  /** The wire closed, by either side. Called at most once; nothing arrives after it. */
  closed(reason?: Error): void;
  /** A fault that did not close the wire, reported to the owner's `onError`. */
  error(error: TransportError): void;
}

/**
 * A request or notification as the engine built it, before serialising it
 * into `data`: a request has an `id`, a notification none.
 */
export type OutboundMessage = {
  readonly jsonrpc: '2.0';
  readonly id?: RequestId;
  readonly method: string;
  readonly params?: Readonly<Record<string, unknown>>;
};

/** Routing hints for one outbound message. */
export interface SendOptions {
  /**
   * The request this message belongs to. Stream-per-request transports
   * (Streamable HTTP) put it on that request's stream; others ignore it.
   */
  readonly relatedRequestId?: RequestId;
  /**
   * Set on the final response to a request: a stream-per-request transport may
   * end that request's stream once this message is written.
   */
  readonly responseTo?: RequestId;
  /**
   * Set with `responseTo` when the response is an error: its code, so a
   * transport answering over HTTP takes the status from `HTTP_STATUS_BY_CODE`
   * (and learns that an `initialize` failed) without parsing `data`.
   */
  readonly error?: ProtocolErrorCode;
  /**
   * Set on server-initiated notifications (`broadcast`, `notify`,
   * list_changed, `resourceUpdated`): the promise settles as soon as the
   * message sits in this peer's bounded outbound queue, never after the peer
   * drained it, so one stalled peer cannot hold a broadcast. A peer past its
   * bound is handled by the transport's slow-consumer policy and the promise
   * rejects with a TransportError (PROTOCOL.md §slow-consumers). Without it,
   * `send` waits for the wire: the backpressure a handler's own messages get.
   */
  readonly queued?: boolean;
  /**
   * The object `data` serialises, set by the engine on every request, and on
   * every notification when the transport declares `readsOutbound`. A
   * transport that routes by method, id or `_meta` (Streamable HTTP headers,
   * the legacy handshake, `Mcp-Param-*`) reads it here instead of parsing
   * `data` again; it must not mutate it. Absent on responses (see
   * `responseTo`) and on text a caller wrote itself, which a transport sends
   * as it is.
   */
  readonly outbound?: OutboundMessage;
  /**
   * Set on a server-initiated notification that came through the cluster
   * bus's log: its entry id. A shared legacy session keeps it with the
   * event, so a node taking the session over knows which of the log's
   * notifications it still has to deliver (PROTOCOL.md §shared-sessions).
   */
  readonly entry?: string;
}

/**
 * The whole contract between the core and a wire (PROTOCOL.md §transport).
 * A transport moves serialised JSON-RPC messages; it knows no method names.
 */
export interface Transport {
  /**
   * Called once by the engine that owns this transport. Messages that arrive
   * before `start` must be held (bounded) and delivered in order after it.
   */
  start(sink: TransportSink): void | Promise<void>;
  /**
   * Writes one serialised message. The promise settles when the wire accepted
   * the bytes (or, with `options.queued`, when the message is in the peer's
   * bounded queue): it is the backpressure signal, and it rejects with a
   * TransportError when the message cannot be written.
   */
  send(data: string, options?: SendOptions): Promise<void>;
  /**
   * Set by a transport that reads `SendOptions.outbound` on notifications.
   * Others are spared an options object per notification: on a server's
   * progress hot path that copy halved modern Streamable HTTP throughput
   * (measured in bench/, table 2a).
   */
  readonly readsOutbound?: boolean;
  /** Closes the wire; `sink.closed` follows. Safe to call twice. */
  close(reason?: string): Promise<void>;
  /**
   * Cancels an outbound request by transport means (modern Streamable HTTP:
   * closing the request's stream is the cancellation). Returns false when the
   * transport has no such means, and the engine then sends
   * `notifications/cancelled`.
   */
  cancelRequest?(id: RequestId): boolean;
  /** Session id minted by the transport (legacy Streamable HTTP), if any. */
  readonly sessionId?: string;
  /**
   * Set when the legacy session this transport carries is shared by the
   * nodes of a cluster (PROTOCOL.md §shared-sessions): the core keeps its
   * state there and hands it messages other nodes relayed.
   */
  readonly shared?: SharedSessionLink;
  /** Short name of the wire, shown in `server.sessions()`: `stdio`, `websocket`, … */
  readonly kind?: string;
  /**
   * The eras this wire carries (legacy HTTP+SSE: `['legacy']`). A server
   * answers `server/discover` and requests of any other era with −32601, as a
   * server of that era would, so probing clients fall back.
   * @default both eras
   */
  readonly eras?: readonly Era[];
}
