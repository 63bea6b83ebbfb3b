import { ProtocolError } from '../errors.js';
import type { RequestId } from '../schemas/jsonrpc.js';
import type { ProgressToken } from '../schemas/primitives.js';
import type { SendOptions } from '../transport.js';
import type { RequestOptions } from './requestOptions.js';

/**
 * What a request handler gets from the engine: the request's identity, its
 * abort signal, and the means to talk on the request's own stream.
 */
export interface InboundRequestContext {
  /** The JSON-RPC id of the request being handled (0 is a real id). */
  readonly id: RequestId;
  /** The method being handled. */
  readonly method: string;
  /** The `_meta` of the request params, if any. */
  readonly meta: Readonly<Record<string, unknown>> | undefined;
  /** Aborted when the peer cancels the request or the connection closes. */
  readonly signal: AbortSignal;
  /** The progress token the peer attached, if any. */
  readonly progressToken: ProgressToken | undefined;
  /**
   * Sends `notifications/progress` for this request (PROTOCOL.md §progress).
   * Rejects with InvalidParams, sending nothing, when `progress` is not finite
   * or `total` is not a finite non-negative number (with or without a token);
   * otherwise a no-op without a token or after the response, and rejects with
   * InvalidParams when `progress` does not exceed the last value sent.
   */
  reportProgress(progress: number, total?: number, message?: string): Promise<void>;
  /** Sends a notification on this request's stream; a no-op after the response. */
  notify(method: string, params?: Record<string, unknown>): Promise<void>;
  /** Sends a request to the peer on this request's stream (legacy server→client requests). */
  request(method: string, params?: Record<string, unknown>, options?: RequestOptions): Promise<unknown>;
  /** True once the response went out or the request was cancelled: nothing more is sent for it. */
  readonly settled: boolean;
  /** The last progress value sent for this request, or undefined. */
  readonly lastProgress: number | undefined;
  /** Settles once the response was written (or the request ended without one). */
  readonly responded: Promise<void>;
  /**
   * Tells `listener` once when the request is aborted (at once if it already
   * was): what the server's own long-lived handlers use instead of a signal
   * listener, with no closure to keep.
   */
  whenAborted(listener: AbortListener): void;
}

/**
 * Checks the numbers of a `reportProgress` call (PROTOCOL.md §progress): the
 * error to reject with, or undefined when they may go on the wire. Called by
 * every `reportProgress`, before it looks at the token, so a bad value fails
 * the same way whether or not the caller asked for progress.
 */
export function progressArgumentError(progress: number, total: number | undefined): ProtocolError | undefined {
  // JSON has no NaN or Infinity: JSON.stringify would send null, an invalid progress notification (2025-11-25 `basic/utilities/progress`).
  if (typeof progress !== 'number' || !Number.isFinite(progress)) {
    return new ProtocolError('InvalidParams', `progress must be a finite number, got ${String(progress)}`);
  }
  if (total !== undefined && (typeof total !== 'number' || !Number.isFinite(total) || total < 0)) {
    return new ProtocolError('InvalidParams', `total must be a finite number that is not negative, got ${String(total)}`);
  }
  return undefined;
}

/** Told once when an inbound request is aborted. */
export interface AbortListener {
  aborted(reason: ProtocolError): void;
}

/** Sends on behalf of an inbound request; implemented by the engine. */
export interface InboundRequestWire {
  /** Sends a notification (on the stream of `options.relatedRequestId`). */
  notify(method: string, params: Record<string, unknown> | undefined, options: SendOptions): Promise<void>;
  /** Sends a request to the peer. */
  request(method: string, params: Record<string, unknown> | undefined, options: RequestOptions): Promise<unknown>;
}

/**
 * State of one request the peer sent us: its abort controller and the sender
 * side of its progress. `settled` turns true once the response went out or the
 * request was cancelled; nothing is sent for it after that.
 */
export class InboundRequest implements InboundRequestContext {
  readonly id: RequestId;
  readonly method: string;
  readonly meta: Readonly<Record<string, unknown>> | undefined;
  readonly progressToken: ProgressToken | undefined;
  readonly #wire: InboundRequestWire;
  #last: number | undefined;
  settled = false;
  // The signal, the `responded` promise and the abort hook are made on first use: a request
  // that stays open (a listen stream) holds none it does not need (PROTOCOL.md §performance).
  #controller: AbortController | undefined;
  #abortReason: ProtocolError | undefined;
  #onAbort: AbortListener | undefined;
  #isResponded = false;
  #responded: Promise<void> | undefined;
  #wakeResponded: (() => void) | undefined;

  constructor(id: RequestId, method: string, params: Record<string, unknown> | undefined, wire: InboundRequestWire) {
    this.id = id;
    this.method = method;
    this.#wire = wire;
    const meta = params?._meta;
    this.meta = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>) : undefined;
    const token = this.meta?.progressToken;
    this.progressToken = typeof token === 'string' || typeof token === 'number' ? token : undefined;
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#abortReason) this.#controller.abort(this.#abortReason);
    }
    return this.#controller.signal;
  }

  get responded(): Promise<void> {
    if (this.#isResponded) return Promise.resolve();
    return (this.#responded ??= new Promise<void>((resolve) => (this.#wakeResponded = resolve)));
  }

  get lastProgress(): number | undefined {
    return this.#last;
  }

  /** The response went out (or could not): wakes whoever awaits `responded`. */
  markResponded(): void {
    this.#isResponded = true;
    this.#wakeResponded?.();
  }

  /** Ends the request without a response (cancelled by the peer or connection closed); the first reason wins. */
  abort(reason: ProtocolError): void {
    this.settled = true;
    this.markResponded();
    if (this.#abortReason) return;
    this.#abortReason = reason;
    this.#controller?.abort(reason);
    this.#onAbort?.aborted(reason);
  }

  whenAborted(listener: AbortListener): void {
    if (this.#abortReason) return listener.aborted(this.#abortReason);
    this.#onAbort = listener;
  }

  reportProgress(progress: number, total?: number, message?: string): Promise<void> {
    const invalid = progressArgumentError(progress, total);
    if (invalid) return Promise.reject(invalid);
    if (this.progressToken === undefined || this.settled) return Promise.resolve();
    if (this.#last !== undefined && !(progress > this.#last)) {
      return Promise.reject(
        new ProtocolError('InvalidParams', `progress must increase: ${progress} does not exceed ${this.#last}`),
      );
    }
    this.#last = progress;
    const params: Record<string, unknown> = { progressToken: this.progressToken, progress };
    if (total !== undefined) params.total = total;
    if (message !== undefined) params.message = message;
    return this.#wire.notify('notifications/progress', params, { relatedRequestId: this.id });
  }

  notify(method: string, params?: Record<string, unknown>): Promise<void> {
    if (this.settled) return Promise.resolve();
    return this.#wire.notify(method, params, { relatedRequestId: this.id });
  }

  request(method: string, params?: Record<string, unknown>, options: RequestOptions = {}): Promise<unknown> {
    return this.#wire.request(method, params, { ...options, relatedRequestId: this.id });
  }
}
