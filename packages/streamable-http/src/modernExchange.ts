import type { ServerResponse } from 'node:http';
import {
  encodeSseEvent,
  httpStatusOfResponse,
  TransportError,
  type ConnectedClient,
  type RequestId,
  type SendOptions,
  type Transport,
  type TransportSink,
} from '@tidings/protocol';
import { replyJson } from './httpReply.js';
import { SlowConsumerError, SseConnection, type KeepAliveHub } from './sseConnection.js';

/** What every {@link ModernExchange} of one handler shares (one object per handler, not per request). */
export interface ExchangeHost {
  /** Keep-alives for the reply when it becomes an SSE stream. */
  readonly hub: KeepAliveHub;
  /** Called once when an exchange is over. */
  readonly onDone: (exchange: ModernExchange) => void;
}

/**
 * One stateless request on its own POST (2026-07-28 streamable-http): a
 * short-lived Transport whose only stream is the POST's reply — one JSON
 * body when the response is the first message, else an SSE stream of the
 * request's notifications ending with its response. The client closing the
 * reply is the cancellation: the connection closes and the core aborts the
 * handler (a listen subscription ends the same way).
 */
export class ModernExchange implements Transport {
  readonly kind = 'streamable-http';
  /** Set by the handler right after `server.connect`. */
  connected: ConnectedClient | undefined;
  readonly #res: ServerResponse;
  readonly #host: ExchangeHost;
  /** The request answered on this POST. */
  readonly #requestId: RequestId;
  /** Map JSON-RPC errors to HTTP statuses (modern era); legacy errors go out with 200. */
  readonly #errorStatus: boolean;
  /** Delivered to the core by `start`, then dropped: a long-lived reply keeps no parsed request. */
  #messages: readonly unknown[] | undefined;
  #sink: TransportSink | undefined;
  #sse: SseConnection | undefined;
  #answered = false;
  #closed = false;

  constructor(res: ServerResponse, host: ExchangeHost, requestId: RequestId, errorStatus: boolean, messages: readonly unknown[]) {
    this.#res = res;
    this.#host = host;
    this.#requestId = requestId;
    this.#errorStatus = errorStatus;
    this.#messages = messages;
    // `on`, not `once`: a response closes once, and the once-wrapper costs per open stream.
    res.on('close', () => {
      if (!this.#answered) void this.#shut('the client closed the request stream');
    });
  }

  start(sink: TransportSink): void {
    this.#sink = sink;
    // The core accepts messages delivered inside start(): no hop needed on this hot path.
    const messages = this.#messages ?? [];
    this.#messages = undefined;
    for (const message of messages) sink.message(message);
  }

  send(data: string, options: SendOptions = {}): Promise<void> {
    if (this.#closed || this.#answered) return Promise.reject(new TransportError('the request stream is closed'));
    if (options.relatedRequestId !== this.#requestId) {
      // A stateless request has no stream for anything else (no GET stream in this era).
      return Promise.reject(new TransportError('no stream for a message unrelated to this request'));
    }
    const final = options.responseTo === this.#requestId;
    if (final) this.#answered = true;
    if (!this.#sse) {
      if (final) {
        replyJson(this.#res, this.#errorStatus ? httpStatusOfResponse(data) : 200, data);
        void this.#shut();
        return Promise.resolve();
      }
      if (this.#res.destroyed) return Promise.reject(new TransportError('the client closed the request stream'));
      this.#sse = new SseConnection(this.#res, this.#host.hub);
    }
    const written = this.#sse.write(encodeSseEvent(data), options.queued);
    if (final) {
      this.#sse.end();
      void this.#shut();
    }
    return written.catch((cause: unknown) => {
      // A slow consumer cut off says so (PROTOCOL.md §slow-consumers); anything else is a client that left.
      throw cause instanceof SlowConsumerError ? cause : new TransportError('the client closed the request stream', { cause });
    });
  }

  close(reason?: string): Promise<void> {
    return this.#shut(reason);
  }

  /** Ends the exchange: the reply (if still open) and the core's connection. */
  async #shut(reason?: string): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#sse) this.#sse.end();
    else if (!this.#res.headersSent && !this.#res.destroyed) {
      // Closed before any message (server shutdown): nothing was promised, end the POST plainly.
      this.#res.writeHead(204);
      this.#res.end();
    }
    this.#host.onDone(this);
    this.#sink?.closed(reason === undefined ? undefined : new TransportError(reason));
  }
}
