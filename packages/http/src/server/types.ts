/**
 * The request and response the pure HTTP core speaks (DESIGN.md §7): plain
 * data, so one handler serves Node's `(req, res)`, the fetch API and tests
 * that call it with no socket at all.
 */

/** What a binding read of a POST body, bounded by the handler's `maxBodyBytes`. */
export type RequestBody =
  | { readonly kind: 'text'; readonly text: string }
  /** A framework already parsed it (express `req.body`, fastify `request.body`). */
  | { readonly kind: 'parsed'; readonly value: unknown }
  /** Over the limit; `discarding` when the binding reads and drops the rest so the client sees the reply (else the connection must close). */
  | { readonly kind: 'too-large'; readonly discarding: boolean }
  /** The client went away or the body broke mid-way. */
  | { readonly kind: 'aborted' };

/** One HTTP request, as a binding describes it. */
export interface HttpRequest {
  /** `GET`, `POST`, … */
  readonly method: string;
  /** Path and query (`/mcp?x=1`), or an absolute URL. */
  readonly url: string;
  /** Request headers by lower-case name. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /**
   * The body: text, or a reader the core calls at most once with the byte
   * limit, only for a request it means to read (a refused one is never read).
   */
  readonly body?: string | ((maxBytes: number) => Promise<RequestBody>);
  /** Aborts when the client goes away before the response ended (a modern request is then cancelled). */
  readonly signal?: AbortSignal;
  /** The request reached a loopback address: the origin policy then defaults to loopback origins only. @default false */
  readonly loopback?: boolean;
}

/**
 * How a binding takes the text of an {@link SseBody}: each read ends in one
 * call, `chunk` or `done`, at once when text is queued or the stream is over,
 * else when it comes (at the end of the turn that wrote it, with everything
 * else that turn wrote).
 */
export interface SseReader {
  /** Everything queued, as one piece: write it, and read again once the client took it. */
  chunk(text: string): void;
  /**
   * The stream is over: end the response, or abort the connection when
   * `error` says it was cut off (a slow consumer, PROTOCOL.md
   * §slow-consumers), so the client knows to resume. A cut-off between a
   * chunk and the next read comes here too, at once: a binding waiting on
   * its client's socket is not reading.
   */
  done(error?: Error): void;
}

/**
 * A response body of Server-Sent Events: text the binding reads as fast as
 * its client takes it (so the core sees backpressure), ending when the
 * stream ends. A binding reads with `read` (an idle stream then holds its
 * reader, not a pending promise) or iterates it, where `next()` rejects when
 * the stream was cut off. It calls `return()` when its client went away.
 */
export interface SseBody extends AsyncIterableIterator<string> {
  /** Asks for the next text; `reader` stays told of a cut-off until it reads again. */
  read(reader: SseReader): void;
  return(): Promise<IteratorResult<string>>;
}

/** One HTTP response: status, headers (lower-case names) and a body. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON or text; an SSE stream; or nothing (202, 204). */
  readonly body: string | SseBody | undefined;
}

/** Calls `listener` when `signal` aborts, or at once when it already has (a client gone while its body was read). */
export function onAbort(signal: AbortSignal | undefined, listener: () => void): void {
  if (signal?.aborted) listener();
  else signal?.addEventListener('abort', listener, { once: true });
}

/** A pure HTTP handler: what the bindings convert to and from. */
export interface HttpCore {
  /** Serves one request. Never rejects: a fault becomes a 500 with a JSON-RPC error body. */
  handle(request: HttpRequest): Promise<HttpResponse>;
  /** Ends every session, request and stream of this handler and disarms its timers; later requests get 503. The server itself stays open. */
  close(): Promise<void>;
}
