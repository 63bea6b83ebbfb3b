import type { Clock } from '../clock.js';
import type { DiagnosticHandler } from '../diagnostics.js';
import type { TransportError } from '../errors.js';
import type { JSONRPCNotification, JSONRPCRequest, RequestId } from '../schemas/jsonrpc.js';
import type { SendOptions, Transport } from '../transport.js';
import type { InboundRequestContext } from './inboundRequest.js';
import type { RequestOptions } from './requestOptions.js';

/** What the owner of an engine (a server or client role) does with inbound traffic. */
export interface EngineHandler {
  /** Handles one request; the resolved value is the result, a throw the error. */
  request(request: JSONRPCRequest, context: InboundRequestContext): unknown;
  /** Handles one notification, synchronously, in arrival order. */
  notification(notification: JSONRPCNotification): void;
  /** Shapes each successful result as it goes out (one hook instead of a promise hop per request). */
  shapeResult?(result: unknown): unknown;
  /** Transport faults that did not close the connection (after the `onError` option). */
  onError?(error: TransportError): void;
  /** The connection closed (after the `onClose` option). */
  onClose?(reason?: Error): void;
  /**
   * A response no request of ours waits for, or a cancellation of a request
   * not running here. Returns true when the handler took it (a shared
   * session relays it to the node that has it); otherwise a response is
   * reported as `response-unknown-id` and a cancellation ignored.
   */
  stray?(message: Record<string, unknown>): boolean;
}

/** Options of {@link createEngine}. */
export interface EngineOptions {
  /** The wire; the engine calls `start` on it. */
  readonly transport: Transport;
  /** Inbound traffic goes here. */
  readonly handler: EngineHandler;
  /** Timers and time. @default systemClock */
  readonly clock?: Clock;
  /** Outbound request ids; must never repeat. @default 1, 2, 3, … */
  readonly generateId?: () => RequestId;
  /** Dropped messages and user-callback failures. @default errors to console.error */
  readonly onDiagnostic?: DiagnosticHandler;
  /** Transport faults that did not close the connection. */
  readonly onError?: (error: TransportError) => void;
  /** Called once when the connection is closed, by either side. */
  readonly onClose?: (reason?: Error) => void;
  /** Send the message of unexpected handler exceptions to the peer. @default false */
  readonly exposeInternalErrors?: boolean;
  /**
   * Requests from the peer being handled at once; more are refused with
   * InternalError (−32603) rather than queued without bound.
   * @default 10_000
   */
  readonly maxInboundRequests?: number;
}

/** One JSON-RPC connection: correlation, dispatch, cancellation, progress. */
export interface Engine {
  /**
   * Sends a request. Resolves with the raw `result`; rejects with a
   * ProtocolError (the peer's error, RequestTimeout, RequestCancelled or
   * ConnectionClosed).
   */
  request(method: string, params?: Record<string, unknown>, options?: RequestOptions): Promise<unknown>;
  /** Sends a notification; resolves when the wire accepted it. */
  notify(method: string, params?: Record<string, unknown>, options?: SendOptions): Promise<void>;
  /** Sends an already serialised message (one serialisation shared by a broadcast). */
  sendSerialized(data: string, options?: SendOptions): Promise<void>;
  /** Closes the connection; pending requests reject with ConnectionClosed. */
  close(reason?: string): Promise<void>;
  /** Whether the connection is closed. */
  readonly closed: boolean;
  /** The underlying transport. */
  readonly transport: Transport;
}
