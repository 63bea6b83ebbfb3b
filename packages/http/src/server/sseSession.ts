import { TransportError, type JSONRPCMessage, type SendOptions, type Transport, type TransportSink } from '@tidings/protocol';
import { encodeSseEvent } from '@tidings/protocol/http';
import { SlowConsumerError } from './sseHub.js';
import type { SseCloseListener, SseStream } from './sseStream.js';

/**
 * The server side of one legacy HTTP+SSE connection (2024-11-05 transports
 * §http with sse; PROTOCOL.md §sse): the GET stream plus the POSTs routed to
 * it. Each message goes out as a `message` event with an increasing `id`.
 * The session ends when its stream ends, whoever ended it; a client that
 * reads too slowly is cut off (PROTOCOL.md §slow-consumers), reported with
 * the session id, and its session ends.
 */
export class SseSession implements Transport, SseCloseListener {
  /** Shown as the session's `transport` in `server.sessions()`. */
  readonly kind = 'sse';
  /** HTTP+SSE exists only in the legacy era: the core refuses discover and modern requests. */
  readonly eras = ['legacy'] as const;
  /** The id announced in the `endpoint` event; the server uses it as the session id. */
  readonly sessionId: string;
  readonly #stream: SseStream;
  readonly #onEnded: () => void;
  #sink: TransportSink | undefined;
  #nextEventId = 1;
  #ended = false;

  /** `onEnded` runs once when the stream is gone. */
  constructor(sessionId: string, stream: SseStream, endpointUri: string, onEnded: () => void) {
    this.sessionId = sessionId;
    this.#stream = stream;
    this.#onEnded = onEnded;
    void stream.write(`event: endpoint\ndata: ${endpointUri}\n\n`).catch(() => {});
    stream.onClose(this);
  }

  /** The stream is gone (ended by either side, or cut off): so is the session. */
  sseClosed(): void {
    this.#ended = true;
    this.#onEnded();
    const cause = this.#stream.error;
    if (!(cause instanceof SlowConsumerError)) return this.#sink?.closed();
    const error = new TransportError(`the SSE client ${this.sessionId} was cut off and its session ended: ${cause.message}`, { cause });
    this.#sink?.error(error);
    this.#sink?.closed(error);
  }

  start(sink: TransportSink): void {
    if (this.#sink) throw new TransportError('the SSE session transport was already started');
    this.#sink = sink;
  }

  /** Hands one message parsed from a POST to the server. */
  receive(message: JSONRPCMessage): void {
    if (!this.#ended) this.#sink?.message(message);
  }

  /** Reports a refused POST (bad body) to the connection's owner; the stream stays open. */
  fault(error: TransportError): void {
    this.#sink?.error(error);
  }

  send(data: string, options?: SendOptions): Promise<void> {
    if (this.#ended) return Promise.reject(new TransportError('the SSE stream is closed'));
    return this.#stream.write(encodeSseEvent(data, String(this.#nextEventId++), 'message'), options?.queued === true);
  }

  close(): Promise<void> {
    this.#stream.end();
    return Promise.resolve();
  }
}
