import { HTTP_STATUS_BY_CODE, TransportError, type RequestId, type SendOptions, type Transport, type TransportSink } from '@tidings/protocol';
import { encodeSseEvent } from '@tidings/protocol/http';
import { jsonResponse, NO_CONTENT } from './refusals.js';
import { SlowConsumerError, type KeepAliveHub } from './sseHub.js';
import { SSE_HEADERS, SseStream, type SseCloseListener } from './sseStream.js';
import { onAbort, type HttpResponse } from './types.js';

/** What every {@link ModernExchange} of one handler shares (one object per handler, not per request). */
export interface ExchangeHost {
  /** Keep-alives for the reply when it becomes an SSE stream. */
  readonly hub: KeepAliveHub;
  /** Called once when an exchange is over. */
  readonly onDone: (exchange: ModernExchange) => void;
}

type ExchangeState =
  /** Waiting for the first message; `respond` answers the POST. */
  | { readonly kind: 'waiting'; readonly respond: (response: HttpResponse) => void }
  | { readonly kind: 'streaming'; readonly sse: SseStream }
  | { readonly kind: 'done' };

/**
 * One request on its own POST (2026-07-28 streamable-http; also each POST of
 * a stateless legacy handler): a short-lived Transport whose only stream is
 * the POST's reply — one JSON body when the response is the first message,
 * else an SSE stream of the request's notifications ending with its
 * response. The client leaving is the cancellation: the exchange closes and
 * the core aborts the handler (a listen subscription ends the same way).
 */
export class ModernExchange implements Transport, SseCloseListener {
  readonly kind = 'streamable-http';
  readonly #host: ExchangeHost;
  /** The request answered on this POST. */
  readonly #requestId: RequestId;
  /** Map JSON-RPC errors to HTTP statuses (modern era); legacy errors go out with 200. */
  readonly #errorStatus: boolean;
  /** Delivered to the core by `start`, then dropped: a long-lived reply keeps no parsed request. */
  #message: unknown;
  #sink: TransportSink | undefined;
  #state: ExchangeState;

  /** `respond` answers the POST, once, with the reply's head. */
  constructor(host: ExchangeHost, requestId: RequestId, errorStatus: boolean, message: unknown, respond: (response: HttpResponse) => void, signal: AbortSignal | undefined) {
    this.#host = host;
    this.#requestId = requestId;
    this.#errorStatus = errorStatus;
    this.#message = message;
    this.#state = { kind: 'waiting', respond };
    onAbort(signal, () => void this.#shut('the client closed the request stream'));
  }

  start(sink: TransportSink): void {
    this.#sink = sink;
    // The client left before the request reached the core: it is over before it began.
    if (this.#state.kind === 'done') return sink.closed(new TransportError('the client closed the request stream'));
    // The core accepts messages delivered inside start(): no hop needed on this hot path.
    const message = this.#message;
    this.#message = undefined;
    sink.message(message);
  }

  send(data: string, options: SendOptions = {}): Promise<void> {
    const state = this.#state;
    if (state.kind === 'done') return Promise.reject(new TransportError('the request stream is closed'));
    if (options.relatedRequestId !== this.#requestId) {
      // A request on its own POST has no stream for anything else (no GET stream in this era).
      return Promise.reject(new TransportError('no stream for a message unrelated to this request'));
    }
    const final = options.responseTo === this.#requestId;
    let sse: SseStream;
    if (state.kind === 'waiting') {
      if (final) {
        state.respond(jsonResponse(this.#errorStatus && options.error !== undefined ? HTTP_STATUS_BY_CODE[options.error] : 200, data));
        void this.#shut();
        return Promise.resolve();
      }
      sse = new SseStream(this.#host.hub);
      sse.onClose(this);
      this.#state = { kind: 'streaming', sse };
      state.respond({ status: 200, headers: SSE_HEADERS, body: sse });
    } else sse = state.sse;
    const written = sse.write(encodeSseEvent(data), options.queued);
    if (final) void this.#shut();
    return written.catch((cause: unknown) => {
      // A slow consumer cut off says so (PROTOCOL.md §slow-consumers); anything else is a client that left.
      throw cause instanceof SlowConsumerError ? cause : new TransportError('the client closed the request stream', { cause });
    });
  }

  close(reason?: string): Promise<void> {
    return this.#shut(reason);
  }

  /** The reply stream closed: the client taking it away cancels the request, like a client leaving before it. */
  sseClosed(): void {
    void this.#shut('the client closed the request stream');
  }

  /** Ends the exchange: the reply (if still open) and the core's connection. */
  async #shut(reason?: string): Promise<void> {
    const state = this.#state;
    if (state.kind === 'done') return;
    this.#state = { kind: 'done' };
    // Closed before any message (server shutdown, client gone): nothing was promised, end the POST plainly.
    if (state.kind === 'waiting') state.respond(NO_CONTENT);
    else state.sse.end();
    this.#host.onDone(this);
    this.#sink?.closed(reason === undefined ? undefined : new TransportError(reason));
  }
}
