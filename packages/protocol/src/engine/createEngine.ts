import { systemClock, type Clock } from '../clock.js';
import { defaultDiagnosticHandler, type DiagnosticHandler } from '../diagnostics.js';
import { ProtocolError, TransportError, toProtocolError } from '../errors.js';
import { parseMessage, type JSONRPCNotification, type JSONRPCRequest, type RequestId } from '../schemas/jsonrpc.js';
import type { SendOptions, Transport } from '../transport.js';
import { InboundRequest, type InboundRequestContext } from './inboundRequest.js';
import { ProgressTracker } from './progressTracker.js';
import { OutboundRequests } from './outboundRequests.js';
import type { RequestOptions } from './requestOptions.js';

/** What the owner of an engine (a server or client role) does with inbound traffic. */
export interface EngineHandler {
  /** Handles one request; the resolved value is the result, a throw the error. */
  request(request: JSONRPCRequest, context: InboundRequestContext): unknown;
  /** Handles one notification, synchronously, in arrival order. */
  notification(notification: JSONRPCNotification): void;
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

/**
 * Binds a transport to a handler and starts it. The engine owns the transport
 * from here on: closing either closes both.
 */
export function createEngine(options: EngineOptions): Engine {
  const { transport, handler } = options;
  const clock = options.clock ?? systemClock;
  const report = options.onDiagnostic ?? defaultDiagnosticHandler;
  const maxInbound = options.maxInboundRequests ?? 10_000;
  // Our own ids start at 1: id 0 is a real id here (inbound, and through `generateId`), but the
  // official SDK v1 ignores a cancellation naming request 0 (typescript-sdk#2115), so a server's
  // first sampling request could not be cancelled on such a client.
  let nextId = 1;
  const generateId = options.generateId ?? (() => nextId++);
  const inbound = new Map<RequestId, InboundRequest>();
  const tracker = new ProgressTracker(report);
  let closed = false;
  let api: Engine | undefined;

  const send = (data: string, sendOptions?: SendOptions): Promise<void> => {
    if (closed) return Promise.reject(new ProtocolError('ConnectionClosed', 'Connection closed'));
    return transport.send(data, sendOptions).catch((cause: unknown) => {
      throw new ProtocolError('ConnectionClosed', `Could not send: ${(cause as Error)?.message ?? cause}`, { cause });
    });
  };

  const notify = (method: string, params?: Record<string, unknown>, sendOptions?: SendOptions): Promise<void> =>
    send(
      JSON.stringify(params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params }),
      sendOptions,
    );

  const sendError = (id: RequestId | null, error: ProtocolError): Promise<void> => {
    const options = id === null ? undefined : { relatedRequestId: id, responseTo: id };
    return send(JSON.stringify({ jsonrpc: '2.0', id, error: error.toJSON() }), options).catch(ignore);
  };

  const outbound = new OutboundRequests(clock, tracker, generateId, {
    send,
    cancel(id, reason) {
      if (closed) return;
      // On a stream-per-request wire, closing the stream is the cancellation (PROTOCOL.md §cancellation).
      if (transport.cancelRequest?.(id)) return;
      notify('notifications/cancelled', { requestId: id, reason }).catch(ignore);
    },
  });
  const request = (method: string, params?: Record<string, unknown>, requestOptions?: RequestOptions): Promise<unknown> =>
    closed ? Promise.reject(new ProtocolError('ConnectionClosed', 'Connection closed')) : outbound.request(method, params, requestOptions);

  const wire = {
    notify: (method: string, params: Record<string, unknown> | undefined, relatedRequestId: RequestId) =>
      notify(method, params, { relatedRequestId }),
    request,
  };

  const handleRequest = (message: JSONRPCRequest): void => {
    const { id } = message;
    if (inbound.has(id)) {
      sendError(id, new ProtocolError('InvalidRequest', `Request id ${JSON.stringify(id)} is already in use`));
      return;
    }
    if (inbound.size >= maxInbound) {
      sendError(id, new ProtocolError('InternalError', `Too many concurrent requests (limit ${maxInbound})`));
      return;
    }
    const state = new InboundRequest(id, message.method, message.params as Record<string, unknown> | undefined, wire);
    inbound.set(id, state);
    let outcome: unknown;
    try {
      outcome = handler.request(message, state);
    } catch (error) {
      outcome = Promise.reject(error);
    }
    Promise.resolve(outcome).then(
      (result) => {
        if (state.settled) return;
        state.settled = true;
        inbound.delete(id);
        send(
          JSON.stringify({ jsonrpc: '2.0', id, result: result ?? {} }),
          { relatedRequestId: id, responseTo: id },
        ).then(() => state.markResponded(), () => state.markResponded());
      },
      (error: unknown) => {
        if (state.settled) return;
        state.settled = true;
        inbound.delete(id);
        if (!(error instanceof ProtocolError)) report({ kind: 'handler-error', method: message.method, error });
        sendError(id, toProtocolError(error, { exposeInternalErrors: options.exposeInternalErrors })).then(() => state.markResponded());
      },
    );
  };

  const handleCancelled = (params: Record<string, unknown> | undefined): void => {
    const id = params?.requestId;
    if (typeof id !== 'string' && typeof id !== 'number') return;
    const reason = typeof params?.reason === 'string' ? params.reason : 'Cancelled by the peer';
    const state = inbound.get(id);
    if (state) {
      inbound.delete(id);
      state.abort(new ProtocolError('RequestCancelled', reason));
      return;
    }
    // A server may end a listen subscription it serves us (subscriptions.mdx §cancellation).
    outbound.endedByPeer(id, reason);
  };

  const handleResponse = (message: { id: RequestId | null; result?: unknown; error?: { code: number; message: string; data?: unknown } }): void => {
    if (!outbound.respond(message.id, message.result, message.error)) report({ kind: 'response-unknown-id', id: message.id });
  };

  const onMessage = (data: unknown): void => {
    if (closed) return;
    let message;
    try {
      message = parseMessage(data);
    } catch (error) {
      const failure = toProtocolError(error);
      report({ kind: 'invalid-message', error: failure });
      const id = (failure.data as { id?: unknown } | undefined)?.id;
      sendError(typeof id === 'string' || typeof id === 'number' ? id : null, failure);
      return;
    }
    const method = message.method;
    if (method !== undefined) {
      if (message.id !== undefined) return handleRequest(message as JSONRPCRequest);
      const params = message.params as Record<string, unknown> | undefined;
      if (method === 'notifications/progress' && !tracker.accept(params)) return;
      if (method === 'notifications/cancelled') handleCancelled(params);
      try {
        handler.notification(message as JSONRPCNotification);
      } catch (error) {
        report({ kind: 'callback-error', where: method, error });
      }
      return;
    }
    handleResponse(message as Parameters<typeof handleResponse>[0]);
  };

  const onClosed = (reason?: Error): void => {
    if (closed) return;
    closed = true;
    if (api) (api as { closed: boolean }).closed = true;
    const failure = new ProtocolError('ConnectionClosed', reason ? `Connection closed: ${reason.message}` : 'Connection closed', {
      cause: reason,
    });
    outbound.failAll(failure);
    for (const state of inbound.values()) state.abort(failure);
    inbound.clear();
    try {
      options.onClose?.(reason);
    } catch (error) {
      report({ kind: 'callback-error', where: 'onClose', error });
    }
  };

  const started = transport.start({
    message: onMessage,
    closed: onClosed,
    error: (error) => {
      try {
        options.onError?.(error);
      } catch (callbackError) {
        report({ kind: 'callback-error', where: 'onError', error: callbackError });
      }
    },
  });
  if (started instanceof Promise) {
    started.catch((cause: unknown) => onClosed(new TransportError('Transport failed to start', { cause })));
  }

  // A plain field, not a getter: an object literal with an accessor goes to dictionary mode, and
  // there is one engine per connection (PROTOCOL.md §performance).
  api = {
    request,
    notify,
    sendSerialized: send,
    async close(reason) {
      if (closed) return;
      await transport.close(reason);
      onClosed();
    },
    closed,
    transport,
  };
  return api;
}

function ignore(): void {}
