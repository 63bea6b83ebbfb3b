import { TransportError, type Transport, type TransportSink } from '@tidings/protocol';
import { readSseStream } from './readSseStream.js';
import { responseDetail } from './responseDetail.js';

/** Options of {@link createSseClientTransport}. */
export interface SseClientTransportOptions {
  /**
   * Headers sent with the GET and every POST (authorization, tracing). A
   * function is called for each HTTP request, so a refreshed token is used.
   */
  readonly headers?: Readonly<Record<string, string>> | Headers | (() => Readonly<Record<string, string>>);
  /** The fetch to use (a proxy agent, a test double). @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Largest event accepted on the stream, in characters; a larger one closes the connection. @default 4 MiB */
  readonly maxMessageBytes?: number;
  /** Outbound messages waiting for their POST; one more rejects with a TransportError. @default 10_000 */
  readonly maxQueuedMessages?: number;
}

/** The client side of an HTTP+SSE connection. */
export interface SseClientTransport extends Transport {
  /** Always `sse`. */
  readonly kind: 'sse';
  /** The POST URI from the server's `endpoint` event; undefined until it arrived. */
  readonly endpoint: URL | undefined;
  /** The `sessionId` query parameter of the endpoint, when the server uses one (they all do in practice). */
  readonly sessionId: string | undefined;
}

/**
 * Connects to a legacy HTTP+SSE server (protocol revision 2024-11-05,
 * PROTOCOL.md §sse): `start` opens the GET stream with `fetch`, parses it with
 * eventsource-parser and waits for the `endpoint` event, resolved against the
 * stream URL; an endpoint on another origin is refused and closes the
 * connection. Inbound `message` events go to the core; each outbound message
 * is one POST to the endpoint, sent in order (one at a time, so the server
 * reads messages as they were sent).
 *
 * A POST answered with an HTTP error rejects that `send` with a
 * TransportError and reports it through `sink.error`, so a request whose POST
 * failed fails at once instead of waiting for its timeout; the connection
 * stays open (the next message may be fine), except on 404, which means the
 * server forgot the session: then the transport closes, so nothing waits on a
 * session that no longer exists. The stream is not reconnected: a new stream
 * would be a new session.
 */
export function createSseClientTransport(url: string | URL, options: SseClientTransportOptions = {}): SseClientTransport {
  const streamUrl = new URL(url);
  // Bound: a browser's fetch throws "Illegal invocation" when called without `globalThis` as its receiver.
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const maxQueued = options.maxQueuedMessages ?? 10_000;
  const abort = new AbortController();
  let sink: TransportSink | undefined;
  let endpoint: URL | undefined;
  let closed = false;
  let queued = 0;
  let tail: Promise<unknown> = Promise.resolve();
  let endpointKnown!: (url: URL) => void;
  let endpointFailed!: (error: Error) => void;
  const ready = new Promise<URL>((resolve, reject) => {
    endpointKnown = resolve;
    endpointFailed = reject;
  });
  ready.catch(noop);

  const shut = (reason?: TransportError): void => {
    if (closed) return;
    closed = true;
    abort.abort();
    endpointFailed(reason ?? new TransportError('The SSE transport is closed'));
    sink?.closed(reason);
  };
  const fail = (error: TransportError): void => {
    if (closed) return;
    sink?.error(error);
    shut(error);
  };

  const onEndpoint = (data: string): void => {
    if (endpoint) {
      sink?.error(new TransportError(`Ignored a second endpoint event (${data}); the session stays on ${endpoint.href}`));
      return;
    }
    let target: URL;
    try {
      target = new URL(data, streamUrl);
    } catch {
      return fail(new TransportError(`The endpoint event holds no valid URI: ${data}`));
    }
    if (target.origin !== streamUrl.origin) {
      return fail(new TransportError(`Refused the endpoint ${target.href}: its origin differs from the stream's (${streamUrl.origin})`));
    }
    endpoint = target;
    endpointKnown(target);
  };

  const headers = (extra: Record<string, string>): Headers => {
    const base = typeof options.headers === 'function' ? options.headers() : options.headers;
    const merged = new Headers(base as Record<string, string> | Headers | undefined);
    for (const [name, value] of Object.entries(extra)) merged.set(name, value);
    return merged;
  };

  const readStream = async (): Promise<void> => {
    let response: Response;
    try {
      response = await doFetch(streamUrl, { method: 'GET', headers: headers({ Accept: 'text/event-stream' }), signal: abort.signal });
    } catch (cause) {
      return fail(new TransportError(`Could not open the SSE stream at ${streamUrl.href}: ${messageOf(cause)}`, { cause }));
    }
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok || !response.body || !type.toLowerCase().startsWith('text/event-stream')) {
      const detail = response.ok ? `Content-Type ${type || 'none'} is not text/event-stream` : await responseDetail(response);
      response.body?.cancel().catch(noop);
      return fail(new TransportError(`The SSE stream at ${streamUrl.href} was refused: HTTP ${response.status}${detail ? ` (${detail})` : ''}`));
    }
    const maxMessage = options.maxMessageBytes ?? MAX_MESSAGE;
    const end = await readSseStream(
      response.body,
      {
        onData: (data) => sink?.message(data),
        onNamedEvent: (name, data) => (name === 'endpoint' ? onEndpoint(data) : undefined),
        // HTTP+SSE (2024-11-05) has no resumption: ids and retry mean nothing here.
        onEventId: noop,
        onRetry: noop,
      },
      maxMessage,
    );
    if (end.tooLarge) return fail(new TransportError(`An SSE event exceeded ${maxMessage} characters`, { cause: end.error }));
    if (end.error !== undefined) return fail(new TransportError(`The SSE stream broke: ${messageOf(end.error)}`, { cause: end.error }));
    shut(new TransportError(endpoint ? 'The server ended the SSE stream' : 'The SSE stream ended before its endpoint event'));
  };

  const post = async (data: string): Promise<void> => {
    const target = await ready;
    let response: Response;
    try {
      response = await doFetch(target, { method: 'POST', headers: headers({ 'Content-Type': 'application/json' }), body: data, signal: abort.signal });
    } catch (cause) {
      if (closed) throw new TransportError('The SSE transport is closed', { cause });
      const error = new TransportError(`Could not POST to ${target.href}: ${messageOf(cause)}`, { cause });
      sink?.error(error);
      throw error;
    }
    if (response.ok) {
      response.body?.cancel().catch(noop);
      return;
    }
    const detail = await responseDetail(response);
    const error = new TransportError(`The server refused a message: HTTP ${response.status}${detail ? ` (${detail})` : ''}`);
    if (response.status === 404) {
      fail(error);
    } else {
      sink?.error(error);
    }
    throw error;
  };

  return {
    kind: 'sse',
    get endpoint() {
      return endpoint;
    },
    get sessionId() {
      return endpoint?.searchParams.get('sessionId') ?? undefined;
    },
    start(s) {
      if (sink) throw new TransportError('The SSE client transport was already started');
      sink = s;
      void readStream();
    },
    send(data) {
      if (closed) return Promise.reject(new TransportError('The SSE transport is closed'));
      if (queued >= maxQueued) return Promise.reject(new TransportError(`More than ${maxQueued} messages are waiting to be POSTed`));
      queued++;
      // One POST at a time keeps the server's view in our order; a failure does not stop the queue.
      const sent = tail.then(() => post(data)).finally(() => void queued--);
      tail = sent.catch(noop);
      return sent;
    },
    close() {
      shut();
      return Promise.resolve();
    },
  };
}

const MAX_MESSAGE = 4 * 1024 * 1024;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function noop(): void {}
