import { systemClock } from '../clock.js';
import { defaultDiagnosticHandler, type DiagnosticHandler } from '../diagnostics.js';
import { ProtocolError, TransportError, toProtocolError } from '../errors.js';
import { parseMessage, type JSONRPCNotification, type JSONRPCRequest, type RequestId } from '../schemas/jsonrpc.js';
import type { OutboundMessage, SendOptions, Transport, TransportSink } from '../transport.js';
import { InboundRequest, type InboundRequestWire } from './inboundRequest.js';
import { InboundTable } from './inboundTable.js';
import { ProgressTracker } from './progressTracker.js';
import { OutboundRequests, type OutboundWire } from './outboundRequests.js';
import type { RequestOptions } from './requestOptions.js';

export type { Engine, EngineHandler, EngineOptions } from './engineTypes.js';
import type { Engine, EngineOptions } from './engineTypes.js';

/**
 * Binds a transport to a handler and starts it. The engine owns the transport
 * from here on: closing either closes both.
 */
export function createEngine(options: EngineOptions): Engine {
  return new ConnectionEngine(options);
}

/**
 * A class rather than a closure bundle: there is one engine per connection
 * (one per idle session), and prototype methods cost nothing per instance
 * where a dozen closures and their context cost about 1 KiB
 * (PROTOCOL.md §performance).
 */
class ConnectionEngine implements Engine, InboundRequestWire, OutboundWire {
  readonly transport: Transport;
  closed = false;
  readonly #options: EngineOptions;
  readonly #report: DiagnosticHandler;
  // Made on first use: most connections of an idle server never send a request or see progress.
  #trackerMade: ProgressTracker | undefined;
  #outboundMade: OutboundRequests | undefined;
  /** The peer's requests being handled; made while any is (an idle connection holds none). */
  #inbound: InboundTable | undefined;

  constructor(options: EngineOptions) {
    this.transport = options.transport;
    this.#options = options;
    this.#report = options.onDiagnostic ?? defaultDiagnosticHandler;
    const started = this.transport.start(new EngineSink(this));
    if (started instanceof Promise) {
      started.catch((cause: unknown) => this.onClosed(new TransportError('Transport failed to start', { cause })));
    }
  }

  request(method: string, params?: Record<string, unknown>, requestOptions?: RequestOptions): Promise<unknown> {
    return this.closed
      ? Promise.reject(new ProtocolError('ConnectionClosed', 'Connection closed'))
      : this.#outbound().request(method, params, requestOptions);
  }

  notify(method: string, params?: Record<string, unknown>, sendOptions?: SendOptions): Promise<void> {
    const outbound: OutboundMessage = params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params };
    if (this.transport.readsOutbound !== true) return this.sendSerialized(JSON.stringify(outbound), sendOptions);
    return this.sendSerialized(JSON.stringify(outbound), sendOptions === undefined ? { outbound } : { ...sendOptions, outbound });
  }

  sendSerialized(data: string, sendOptions?: SendOptions): Promise<void> {
    if (this.closed) return Promise.reject(new ProtocolError('ConnectionClosed', 'Connection closed'));
    return this.transport.send(data, sendOptions).catch((cause: unknown) => {
      throw new ProtocolError('ConnectionClosed', `Could not send: ${(cause as Error)?.message ?? cause}`, { cause });
    });
  }

  async close(reason?: string): Promise<void> {
    if (this.closed) return;
    await this.transport.close(reason);
    this.onClosed();
  }

  /** Tells the peer to stop working on one of our requests. */
  cancelOutbound(id: RequestId, reason: string): void {
    if (this.closed) return;
    // On a stream-per-request wire, closing the stream is the cancellation (PROTOCOL.md §cancellation).
    if (this.transport.cancelRequest?.(id)) return;
    this.notify('notifications/cancelled', { requestId: id, reason }).catch(ignore);
  }

  onMessage(data: unknown): void {
    if (this.closed) return;
    let message;
    try {
      message = parseMessage(data);
    } catch (error) {
      const failure = toProtocolError(error);
      this.#report({ kind: 'invalid-message', error: failure });
      const id = (failure.data as { id?: unknown } | undefined)?.id;
      this.#sendError(typeof id === 'string' || typeof id === 'number' ? id : null, failure);
      return;
    }
    const method = message.method;
    if (method !== undefined) {
      if (message.id !== undefined) return this.#handleRequest(message as JSONRPCRequest);
      const params = message.params as Record<string, unknown> | undefined;
      if (method === 'notifications/progress' && !this.#tracker().accept(params)) return;
      if (method === 'notifications/cancelled' && !this.#handleCancelled(params)) this.#options.handler.stray?.(message);
      try {
        this.#options.handler.notification(message as JSONRPCNotification);
      } catch (error) {
        this.#report({ kind: 'callback-error', where: method, error });
      }
      return;
    }
    const response = message as { id: RequestId | null; result?: unknown; error?: { code: number; message: string; data?: unknown } };
    if (this.#outboundMade?.respond(response.id, response.result, response.error)) return;
    if (!this.#options.handler.stray?.(message)) this.#report({ kind: 'response-unknown-id', id: response.id });
  }

  onClosed(reason?: Error): void {
    if (this.closed) return;
    this.closed = true;
    const failure = new ProtocolError('ConnectionClosed', reason ? `Connection closed: ${reason.message}` : 'Connection closed', {
      cause: reason,
    });
    this.#outboundMade?.failAll(failure);
    const inbound = this.#inbound;
    this.#inbound = undefined;
    for (const state of inbound?.drain() ?? []) state.abort(failure);
    try {
      this.#options.onClose?.(reason);
      this.#options.handler.onClose?.(reason);
    } catch (error) {
      this.#report({ kind: 'callback-error', where: 'onClose', error });
    }
  }

  onError(error: TransportError): void {
    try {
      this.#options.onError?.(error);
      this.#options.handler.onError?.(error);
    } catch (callbackError) {
      this.#report({ kind: 'callback-error', where: 'onError', error: callbackError });
    }
  }

  #tracker(): ProgressTracker {
    return (this.#trackerMade ??= new ProgressTracker(this.#report));
  }

  #outbound(): OutboundRequests {
    if (this.#outboundMade) return this.#outboundMade;
    const { clock = systemClock, generateId = countFromOne() } = this.#options;
    return (this.#outboundMade = new OutboundRequests(clock, this.#tracker(), generateId, this));
  }

  #sendError(id: RequestId | null, error: ProtocolError): Promise<void> {
    const sendOptions = id === null ? undefined : { relatedRequestId: id, responseTo: id, error: error.code };
    return this.sendSerialized(JSON.stringify({ jsonrpc: '2.0', id, error: error.toJSON() }), sendOptions).catch(ignore);
  }

  #handleRequest(message: JSONRPCRequest): void {
    // The settle callbacks below capture only `id`, `method` and `state`, never the message:
    // a long-lived request (a listen stream) must not keep its parsed params alive.
    const { id, method } = message;
    const inbound = (this.#inbound ??= new InboundTable());
    if (inbound.get(id)) {
      this.#sendError(id, new ProtocolError('InvalidRequest', `Request id ${JSON.stringify(id)} is already in use`));
      return;
    }
    const limit = this.#options.maxInboundRequests ?? 10_000;
    if (inbound.size >= limit) {
      this.#sendError(id, new ProtocolError('InternalError', `Too many concurrent requests (limit ${limit})`));
      return;
    }
    const state = new InboundRequest(id, method, message.params as Record<string, unknown> | undefined, this);
    inbound.add(state);
    let outcome: unknown;
    try {
      outcome = this.#options.handler.request(message, state);
    } catch (error) {
      outcome = Promise.reject(error);
    }
    Promise.resolve(outcome).then(
      (result) => {
        if (!this.#finish(state)) return;
        const handler = this.#options.handler;
        const shaped = handler.shapeResult ? handler.shapeResult(result ?? {}) : result ?? {};
        this.sendSerialized(JSON.stringify({ jsonrpc: '2.0', id, result: shaped }), { relatedRequestId: id, responseTo: id }).then(
          () => state.markResponded(),
          () => state.markResponded(),
        );
      },
      (error: unknown) => {
        if (!this.#finish(state)) return;
        if (!(error instanceof ProtocolError)) this.#report({ kind: 'handler-error', method, error });
        const failure = toProtocolError(error, { exposeInternalErrors: this.#options.exposeInternalErrors });
        this.#sendError(id, failure).then(() => state.markResponded());
      },
    );
  }

  #forgetInbound(id: RequestId): void {
    if (this.#inbound?.delete(id) && this.#inbound.size === 0) this.#inbound = undefined;
  }

  /** Settles an inbound request once; false when a cancellation or the close got there first. */
  #finish(state: InboundRequest): boolean {
    if (state.settled) return false;
    state.settled = true;
    this.#forgetInbound(state.id);
    return true;
  }

  /** Whether the cancellation named a request of this connection. */
  #handleCancelled(params: Record<string, unknown> | undefined): boolean {
    const id = params?.requestId;
    if (typeof id !== 'string' && typeof id !== 'number') return true;
    const reason = typeof params?.reason === 'string' ? params.reason : 'Cancelled by the peer';
    const state = this.#inbound?.get(id);
    if (state) {
      this.#forgetInbound(id);
      state.abort(new ProtocolError('RequestCancelled', reason));
      return true;
    }
    // A server may end a listen subscription it serves us (subscriptions.mdx §cancellation).
    return this.#outboundMade?.endedByPeer(id, reason) ?? false;
  }
}

/** The transport's view of an engine: a separate object, since `closed` is a flag on the engine. */
class EngineSink implements TransportSink {
  readonly #engine: ConnectionEngine;

  constructor(engine: ConnectionEngine) {
    this.#engine = engine;
  }

  message(data: unknown): void {
    this.#engine.onMessage(data);
  }

  closed(reason?: Error): void {
    this.#engine.onClosed(reason);
  }

  error(error: TransportError): void {
    this.#engine.onError(error);
  }
}

/**
 * Our own ids start at 1: id 0 is a real id here (inbound, and through
 * `generateId`), but the official SDK v1 ignores a cancellation naming
 * request 0 (typescript-sdk#2115), so a server's first sampling request could
 * not be cancelled on such a client.
 */
function countFromOne(): () => RequestId {
  let next = 1;
  return () => next++;
}

function ignore(): void {}
