import type { Clock } from '../clock.js';
import { ProtocolError } from '../errors.js';
import type { RequestId } from '../schemas/jsonrpc.js';
import type { ProgressToken } from '../schemas/primitives.js';
import type { OutboundMessage, SendOptions } from '../transport.js';
import type { ProgressTracker } from './progressTracker.js';
import { DEFAULT_MAX_TOTAL_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, type RequestOptions } from './requestOptions.js';
import { startRequestTimer, type RequestTimer, type TimeoutKind } from './requestTimer.js';

/** What outbound requests need from the engine. */
export interface OutboundWire {
  /** Writes a serialised message (rejects with ConnectionClosed when it cannot). */
  sendSerialized(data: string, options?: SendOptions): Promise<void>;
  /** Tells the peer to stop working on a request: the transport's own means, or `notifications/cancelled`. */
  cancelOutbound(id: RequestId, reason: string): void;
}

interface Pending {
  readonly method: string;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: ProtocolError) => void;
  readonly token: ProgressToken | undefined;
  readonly timer: RequestTimer;
  readonly cleanup: () => void;
}

/** The method whose request is never cancelled (2025-11-25 lifecycle). */
const UNCANCELLABLE = 'initialize';

/**
 * The requests we sent and wait for (PROTOCOL.md §progress, §cancellation):
 * ids, progress tokens, the two deadlines, abort signals, and settling each
 * one exactly once — by its response, a timeout, an abort, or the connection's end.
 */
export class OutboundRequests {
  // Created on first request: a server connection may never send one.
  #pendingMap: Map<RequestId, Pending> | undefined;
  readonly #clock: Clock;
  readonly #tracker: ProgressTracker;
  readonly #generateId: () => RequestId;
  readonly #wire: OutboundWire;

  get #pending(): Map<RequestId, Pending> {
    return (this.#pendingMap ??= new Map());
  }

  constructor(clock: Clock, tracker: ProgressTracker, generateId: () => RequestId, wire: OutboundWire) {
    this.#clock = clock;
    this.#tracker = tracker;
    this.#generateId = generateId;
    this.#wire = wire;
  }

  /** Sends a request; see `Engine.request`. */
  request(method: string, params: Record<string, unknown> | undefined, options: RequestOptions = {}): Promise<unknown> {
    const signal = options.signal;
    if (signal?.aborted) {
      return Promise.reject(new ProtocolError('RequestCancelled', 'Request aborted before it was sent', { cause: signal.reason }));
    }
    const reset = options.resetTimeoutOnProgress ?? true;
    let token: ProgressToken | undefined = options.progressToken;
    if (token !== undefined && this.#tracker.has(token)) {
      return Promise.reject(new ProtocolError('InvalidParams', `Progress token ${JSON.stringify(token)} is already in use`));
    }
    const id = this.#generateId();
    options.onRequestId?.(id);
    // A token whenever reset is on, so progress re-arms the timeout even without a callback (SDK #2076).
    if (token === undefined && (options.onProgress || reset)) token = this.#tracker.has(id) ? `tidings-${id}` : id;
    let outgoing = params;
    if (token !== undefined) {
      const meta = params?._meta as Record<string, unknown> | undefined;
      outgoing = { ...params, _meta: { ...meta, progressToken: token } };
    }
    const outbound: OutboundMessage = outgoing === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params: outgoing };
    const data = JSON.stringify(outbound);
    const timeout = options.timeout ?? DEFAULT_REQUEST_TIMEOUT;
    const maxTotal = options.maxTotalTimeout ?? DEFAULT_MAX_TOTAL_TIMEOUT;

    return new Promise<unknown>((resolve, reject) => {
      const fail = (error: ProtocolError, cancelReason: string): void => {
        const entry = this.#pending.get(id);
        if (!entry) return;
        this.#settle(id, entry);
        if (method !== UNCANCELLABLE) this.#wire.cancelOutbound(id, cancelReason);
        reject(error);
      };
      const onTimeout = (kind: TimeoutKind): void => {
        const limit = kind === 'total' ? maxTotal : timeout;
        const message = kind === 'total' ? `Request exceeded its maximum total time of ${limit} ms` : `Request timed out after ${limit} ms`;
        fail(new ProtocolError('RequestTimeout', message, { data: { timeout: limit, kind } }), message);
      };
      const onAbort = (): void => {
        const reason = signal?.reason;
        const text = reason instanceof Error ? reason.message : reason === undefined ? 'Aborted' : String(reason);
        fail(new ProtocolError('RequestCancelled', `Request cancelled: ${text}`, { cause: reason }), text);
      };
      const timer = startRequestTimer(this.#clock, timeout, maxTotal, onTimeout);
      signal?.addEventListener('abort', onAbort, { once: true });
      const entry: Pending = { method, resolve, reject, token, timer, cleanup: () => signal?.removeEventListener('abort', onAbort) };
      this.#pending.set(id, entry);
      if (token !== undefined) this.#tracker.register(token, { onProgress: options.onProgress, touched: reset ? timer.touch : noop });
      const sendOptions: SendOptions = options.relatedRequestId === undefined ? { outbound } : { relatedRequestId: options.relatedRequestId, outbound };
      this.#wire.sendSerialized(data, sendOptions).catch((error: ProtocolError) => {
        if (this.#pending.get(id) !== entry) return;
        this.#settle(id, entry);
        reject(error);
      });
    });
  }

  /** Settles the request a response answers; false when none waits for it (late or unknown). */
  respond(id: RequestId | null, result: unknown, error: { code: number; message: string; data?: unknown } | undefined): boolean {
    const entry = id === null ? undefined : this.#pending.get(id);
    if (!entry) return false;
    this.#settle(id as RequestId, entry);
    if (error) entry.reject(ProtocolError.fromWire(error));
    else entry.resolve(result);
    return true;
  }

  /**
   * The peer ended a listen subscription we opened (2026-07-28
   * subscriptions §cancellation); other ids are not ours to end this way.
   */
  endedByPeer(id: RequestId, reason: string): boolean {
    const entry = this.#pending.get(id);
    if (entry?.method !== 'subscriptions/listen') return false;
    this.#settle(id, entry);
    entry.reject(new ProtocolError('RequestCancelled', reason));
    return true;
  }

  /** The connection ended: every waiting request fails with `error`. */
  failAll(error: ProtocolError): void {
    if (!this.#pendingMap) return;
    for (const [id, entry] of this.#pendingMap) {
      this.#settle(id, entry);
      entry.reject(error);
    }
  }

  #settle(id: RequestId, entry: Pending): void {
    this.#pending.delete(id);
    entry.timer.stop();
    entry.cleanup();
    if (entry.token !== undefined) this.#tracker.release(entry.token);
  }
}

function noop(): void {}
