import { createSseCore, toFetchHandler, toNodeHandler, type FetchHandlerOptions, type NodeHandler, type SseHandlerOptions } from '@tidings/http';

/**
 * A Node request handler for `node:http`, express or any framework that hands
 * over Node's request and response. The promise settles when the request was
 * answered (for a GET, once the stream started; it goes on after); it never rejects.
 */
export interface SseHandler extends NodeHandler {
  /** Ends every open stream and session; later requests get 503. Resolves once the sessions are closed. */
  close(): Promise<void>;
}

/** A fetch handler, `(Request) → Promise<Response>`, serving HTTP+SSE (Bun, Deno, Workers, Next.js, Hono). */
export interface SseFetchHandler {
  (request: Request): Promise<Response>;
  /** Ends every open stream and session; later requests get 503. */
  close(): Promise<void>;
}

/**
 * Serves the legacy HTTP+SSE transport of protocol revision 2024-11-05
 * (PROTOCOL.md §sse) on Node's `(req, res)`: GET `endpointPath` opens a
 * stream whose first event, `endpoint`, names the POST URI; each POST there
 * delivers one message to that stream's session and is answered 202. The
 * session ends when its stream closes.
 */
export function createSseHandler(options: SseHandlerOptions): SseHandler {
  const core = createSseCore(options);
  return Object.assign(toNodeHandler(core), { close: () => core.close() });
}

/** The same handler for the fetch API. */
export function createSseFetchHandler(options: SseHandlerOptions & FetchHandlerOptions): SseFetchHandler {
  const core = createSseCore(options);
  return Object.assign(toFetchHandler(core, options), { close: () => core.close() });
}
