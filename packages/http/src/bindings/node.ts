import { isLoopbackAddress } from '@tidings/protocol';
import { utf8Length } from '../server/requestBody.js';
import type { HttpCore, HttpResponse, SseBody } from '../server/types.js';
import { readNodeBody, type NodeBodySource } from './nodeBody.js';

/** The parts of Node's `IncomingMessage` the binding reads; `node:http`, express and fastify all pass one. */
export interface NodeRequest extends NodeBodySource {
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
}

/**
 * A Node request handler. The third argument is a body some framework
 * already parsed (fastify's `request.body`; a function there, express's
 * `next`, is ignored and `req.body` is used). Resolves once the response is
 * written or, for a stream, over. Never rejects.
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
    const aborted = new AbortController();
    const onClose = (): void => {
      if (!res.writableFinished) aborted.abort();
    };
    res.on('close', onClose);
    const response = await core.handle({
      method: req.method ?? 'GET',
      url: req.originalUrl ?? req.url ?? '/',
      headers: req.headers,
      body: (limit) => readNodeBody(req, limit, preParsed),
      signal: aborted.signal,
      loopback: isLoopbackAddress(req.socket?.localAddress ?? undefined),
    });
    try {
      await write(response, res);
    } finally {
      res.off('close', onClose);
    }
  };
}

async function write(response: HttpResponse, res: NodeResponse): Promise<void> {
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
    await pipe(body, res);
  }
}

/** Writes an SSE body as fast as the socket takes it; a cut-off stream aborts the connection so the client knows. */
async function pipe(body: SseBody, res: NodeResponse): Promise<void> {
  const gone = (): void => void body.return();
  res.on('close', gone);
  // A client that stopped reading is waited on in `drained`, not pulling: a cut-off must reach its socket anyway.
  void body.cutOff.then(() => res.destroy());
  try {
    for (;;) {
      const chunk = await body.next();
      if (chunk.done) break;
      if (!res.write(chunk.value)) await drained(res);
      if (res.destroyed) break;
    }
    res.end();
  } catch {
    res.destroy();
  } finally {
    res.off('close', gone);
  }
}

function drained(res: NodeResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
