import { systemClock, type Clock } from '../clock.js';
import { defaultDiagnosticHandler, type DiagnosticHandler } from '../diagnostics.js';
import { ProtocolError, TransportError, toProtocolError } from '../errors.js';
import { parseMessage, type JSONRPCNotification, type JSONRPCRequest, type RequestId } from '../schemas/jsonrpc.js';
import type { ProgressToken } from '../schemas/primitives.js';
import type { SendOptions, Transport } from '../transport.js';
import { InboundRequest, type InboundRequestContext } from './inboundRequest.js';
import { ProgressTracker } from './progressTracker.js';
import { DEFAULT_MAX_TOTAL_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, type RequestOptions } from './requestOptions.js';
import { startRequestTimer, type RequestTimer, type TimeoutKind } from './requestTimer.js';

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
  /** Outbound request ids; must never repeat. @default 0, 1, 2, … */
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

interface Pending {
  readonly method: string;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: ProtocolError) => void;
  readonly token: ProgressToken | undefined;
  readonly timer: RequestTimer;
  readonly cleanup: () => void;
}

/** The method whose request is never cancelled (lifecycle: initialize). */
const UNCANCELLABLE = 'initialize';

/**
 * Binds a transport to a handler and starts it. The engine owns the transport
 * from here on: closing either closes both.
 */
export function createEngine(options: EngineOptions): Engine {
  const { transport, handler } = options;
  const clock = options.clock ?? systemClock;
  const report = options.onDiagnostic ?? defaultDiagnosticHandler;
  const maxInbound = options.maxInboundRequests ?? 10_000;
  let nextId = 0;
  const generateId = options.generateId ?? (() => nextId++);
  const pending = new Map<RequestId, Pending>();
  const inbound = new Map<RequestId, InboundRequest>();
  const tracker = new ProgressTracker(report);
  let closed = false;

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

  const settle = (id: RequestId, entry: Pending): void => {
    pending.delete(id);
    entry.timer.stop();
    entry.cleanup();
    if (entry.token !== undefined) tracker.release(entry.token);
  };

  const cancel = (id: RequestId, entry: Pending, reason: string): void => {
    if (entry.method === UNCANCELLABLE || closed) return;
    if (transport.cancelRequest?.(id)) return;
    notify('notifications/cancelled', { requestId: id, reason }).catch(ignore);
  };

  const request = (
    method: string,
    params: Record<string, unknown> | undefined,
    requestOptions: RequestOptions = {},
  ): Promise<unknown> => {
    if (closed) return Promise.reject(new ProtocolError('ConnectionClosed', 'Connection closed'));
    const signal = requestOptions.signal;
    if (signal?.aborted) {
      return Promise.reject(new ProtocolError('RequestCancelled', 'Request aborted before it was sent', { cause: signal.reason }));
    }
    const id = generateId();
    requestOptions.onRequestId?.(id);
    const reset = requestOptions.resetTimeoutOnProgress ?? true;
    let token: ProgressToken | undefined = requestOptions.progressToken;
    if (token !== undefined && tracker.has(token)) {
      return Promise.reject(new ProtocolError('InvalidParams', `Progress token ${JSON.stringify(token)} is already in use`));
    }
    if (token === undefined && (requestOptions.onProgress || reset)) {
      token = tracker.has(id) ? `tidings-${id}` : id;
    }
    let outgoing = params;
    if (token !== undefined) {
      const meta = params?._meta as Record<string, unknown> | undefined;
      outgoing = { ...params, _meta: { ...meta, progressToken: token } };
    }
    const data = JSON.stringify(
      outgoing === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params: outgoing },
    );

    return new Promise<unknown>((resolve, reject) => {
      const timeout = requestOptions.timeout ?? DEFAULT_REQUEST_TIMEOUT;
      const onTimeout = (kind: TimeoutKind): void => {
        const entry = pending.get(id);
        if (!entry) return;
        const limit = kind === 'total' ? requestOptions.maxTotalTimeout ?? DEFAULT_MAX_TOTAL_TIMEOUT : timeout;
        const message =
          kind === 'total' ? `Request exceeded its maximum total time of ${limit} ms` : `Request timed out after ${limit} ms`;
        settle(id, entry);
        cancel(id, entry, message);
        reject(new ProtocolError('RequestTimeout', message, { data: { timeout: limit, kind } }));
      };
      const timer = startRequestTimer(
        clock,
        timeout,
        requestOptions.maxTotalTimeout ?? DEFAULT_MAX_TOTAL_TIMEOUT,
        onTimeout,
      );
      const onAbort = (): void => {
        const entry = pending.get(id);
        if (!entry) return;
        const reason = signal?.reason;
        const text = reason instanceof Error ? reason.message : reason === undefined ? 'Aborted' : String(reason);
        settle(id, entry);
        cancel(id, entry, text);
        reject(new ProtocolError('RequestCancelled', `Request cancelled: ${text}`, { cause: reason }));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const entry: Pending = {
        method,
        resolve,
        reject,
        token,
        timer,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      pending.set(id, entry);
      if (token !== undefined) {
        tracker.register(token, { onProgress: requestOptions.onProgress, touched: reset ? timer.touch : noop });
      }
      const sendOptions = requestOptions.relatedRequestId === undefined ? undefined : { relatedRequestId: requestOptions.relatedRequestId };
      send(data, sendOptions).catch((error: ProtocolError) => {
        if (pending.get(id) !== entry) return;
        settle(id, entry);
        reject(error);
      });
    });
  };

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
    const entry = pending.get(id);
    if (entry?.method === 'subscriptions/listen') {
      settle(id, entry);
      entry.reject(new ProtocolError('RequestCancelled', reason));
    }
  };

  const handleResponse = (message: { id: RequestId | null; result?: unknown; error?: { code: number; message: string; data?: unknown } }): void => {
    const entry = message.id === null ? undefined : pending.get(message.id);
    if (!entry) {
      report({ kind: 'response-unknown-id', id: message.id });
      return;
    }
    settle(message.id as RequestId, entry);
    if (message.error) entry.reject(ProtocolError.fromWire(message.error));
    else entry.resolve(message.result);
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
    const failure = new ProtocolError('ConnectionClosed', reason ? `Connection closed: ${reason.message}` : 'Connection closed', {
      cause: reason,
    });
    for (const [id, entry] of pending) {
      settle(id, entry);
      entry.reject(failure);
    }
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

  return {
    request,
    notify,
    sendSerialized: send,
    async close(reason) {
      if (closed) return;
      await transport.close(reason);
      onClosed();
    },
    get closed() {
      return closed;
    },
    transport,
  };
}

function noop(): void {}
function ignore(): void {}
