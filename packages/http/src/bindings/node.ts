import { isLoopbackAddress } from '@tidings/protocol/http';
import { readBoundedBody, utf8Length, type BodySource } from '../server/requestBody.js';
import type { HttpCore, HttpResponse, RequestBody, SseBody, SseReader } from '../server/types.js';

/** The parts of Node's `IncomingMessage` the binding reads; `node:http`, express and fastify all pass one. */
export interface NodeRequest {
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** `data` listeners get a chunk; `end`, `error` and `close` ones ignore their argument. */
  on(event: 'data' | 'end' | 'error' | 'close', listener: (chunk: Uint8Array) => void): this;
  off(event: 'data' | 'end' | 'error' | 'close', listener: (chunk: Uint8Array) => void): this;
  destroy(): unknown;
  readonly method?: string;
  readonly url?: string;
  /** Express's full URL when the handler is mounted under a prefix. */
  readonly originalUrl?: string;
  readonly socket?: { readonly localAddress?: string } | null;
  /** A body a framework parsed (`express.json()`). */
  readonly body?: unknown;
}

/** The parts of Node's `ServerResponse` the binding writes to. */
export interface NodeResponse {
  readonly headersSent: boolean;
  readonly destroyed: boolean;
  readonly writableFinished: boolean;
  writeHead(status: number, headers: Readonly<Record<string, string | number>>): unknown;
  flushHeaders?(): void;
  write(chunk: string): boolean;
  end(chunk?: string): unknown;
  destroy(): unknown;
  on(event: 'close' | 'drain', listener: () => void): unknown;
  off(event: 'close' | 'drain', listener: () => void): unknown;
  once(event: 'drain', listener: () => void): unknown;
}

/**
 * A Node request handler. The third argument is a body some framework
 * already parsed (fastify's `request.body`; a function there, express's
 * `next`, is ignored and `req.body` is used). Resolves once the response is
 * written or, for a stream, once it started (it goes on after). Never rejects.
 */
export type NodeHandler = (req: NodeRequest, res: NodeResponse, body?: unknown) => Promise<void>;

/**
 * Serves a pure handler on Node's `(req, res)`: converts the request, reads
 * the body only if the handler asks (bounded, draining an oversized one so
 * the sender sees its 413), and writes the response, pulling an SSE body as
 * fast as the socket drains so the handler sees backpressure.
 */
export function toNodeHandler(core: HttpCore): NodeHandler {
  return async (req, res, parsed) => {
    const preParsed = typeof parsed === 'function' || parsed === undefined ? req.body : parsed;
    // Made only for a request the core waits on (a held POST): an idle stream keeps no AbortController.
    let aborted: AbortController | undefined;
    const onClose = (): void => {
      if (!res.writableFinished) aborted?.abort();
    };
    res.on('close', onClose);
    const response = await core.handle({
      method: req.method ?? 'GET',
      url: req.originalUrl ?? req.url ?? '/',
      headers: req.headers,
      body: (limit) => readNodeBody(req, limit, preParsed),
      get signal() {
        if (!aborted) {
          aborted = new AbortController();
          // Gone before the handler ran (a framework read the body first): 'close' will not come again.
          if (res.destroyed) aborted.abort();
        }
        return aborted.signal;
      },
      loopback: isLoopbackAddress(req.socket?.localAddress ?? undefined),
    });
    // From here a client leaving ends the body (`return()`), which the core hears about itself.
    res.off('close', onClose);
    write(response, res);
  };
}

/** The body a framework already read (`express.json()`, fastify), else the request stream through the core's bounded reader. */
function readNodeBody(req: NodeRequest, limit: number, preParsed: unknown): Promise<RequestBody> {
  if (typeof preParsed === 'string') preParsed = new TextEncoder().encode(preParsed);
  if (preParsed instanceof Uint8Array) {
    return Promise.resolve(preParsed.length > limit ? { kind: 'too-large', discarding: true } : { kind: 'text', text: new TextDecoder().decode(preParsed) });
  }
  if (preParsed !== undefined) return Promise.resolve({ kind: 'parsed', value: preParsed });
  const source: BodySource = {
    read(on) {
      // Node's own events, not its async iterator: that one leaves its listeners on a request whose response goes on.
      req.on('data', on.chunk).on('end', on.end).on('error', on.fail).on('close', on.fail);
      return () => void req.off('data', on.chunk).off('end', on.end).off('error', on.fail).off('close', on.fail);
    },
    cancel: () => void req.destroy(),
  };
  return readBoundedBody(source, Number(req.headers['content-length']), limit);
}

function write(response: HttpResponse, res: NodeResponse): void {
  const { status, headers, body } = response;
  if (res.headersSent || res.destroyed) {
    if (typeof body === 'object') void body.return();
    return;
  }
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
  } else if (typeof body === 'string') {
    res.writeHead(status, { ...headers, 'content-length': utf8Length(body) });
    res.end(body);
  } else {
    res.writeHead(status, headers);
    res.flushHeaders?.();
    new NodeSsePipe(body, res);
  }
}

/**
 * Writes an SSE body as fast as the socket takes it; a cut-off stream aborts
 * the connection so the client knows. The pipe is its body's reader: an idle
 * stream holds it and one 'close' listener, not a pending promise and the
 * closures around it (PROTOCOL.md §performance).
 */
class NodeSsePipe implements SseReader {
  readonly #body: SseBody;
  readonly #res: NodeResponse;
  #drained: (() => void) | undefined; // made by the first full socket buffer

  constructor(body: SseBody, res: NodeResponse) {
    this.#body = body;
    this.#res = res;
    // Left on after the end: a 'close' then finds the body over already, and returning it again is a no-op.
    res.on('close', body.return.bind(body));
    body.read(this);
  }

  chunk(text: string): void {
    const res = this.#res;
    if (res.destroyed) return;
    if (res.write(text)) this.#body.read(this);
    else res.once('drain', (this.#drained ??= () => this.#body.read(this)));
  }

  done(error?: Error): void {
    if (error) this.#res.destroy();
    else this.#res.end();
  }
}
