import {
  createStreamableHttpCore,
  toFetchHandler,
  toNodeHandler,
  type FetchHandlerOptions,
  type NodeHandler,
  type StreamableHttpControls,
  type StreamableHttpHandlerOptions,
} from '@tidings/http';

/**
 * A Node request handler serving both eras of Streamable HTTP on one
 * endpoint. Works with `node:http`, express (`app.all('/mcp', handler)`,
 * with or without `express.json()`) and fastify (`handler(request.raw,
 * reply.raw, request.body)` after `reply.hijack()`).
 */
export interface StreamableHttpHandler extends NodeHandler, StreamableHttpControls {
  /** Ends every session, request and stream of this handler and disarms its timers. The server itself stays open. */
  close(): Promise<void>;
}

/** A fetch handler, `(Request) → Promise<Response>`, serving both eras of Streamable HTTP (Bun, Deno, Workers, Next.js, Hono). */
export interface StreamableHttpFetchHandler extends StreamableHttpControls {
  (request: Request): Promise<Response>;
  /** Ends every session, request and stream of this handler and disarms its timers. The server itself stays open. */
  close(): Promise<void>;
}

/**
 * Creates the Streamable HTTP handler of `options.server` for Node's
 * `(req, res[, body])` (PROTOCOL.md §streamable-http): modern requests each
 * on their own short-lived connection, legacy clients in sessions with a GET
 * stream and `Last-Event-ID` resumability.
 */
export function createStreamableHttpHandler(options: StreamableHttpHandlerOptions): StreamableHttpHandler {
  const core = createStreamableHttpCore(options);
  return withControls(toNodeHandler(core), core);
}

/** The same handler for the fetch API: `export default { fetch: createStreamableHttpFetchHandler({ server }) }`. */
export function createStreamableHttpFetchHandler(options: StreamableHttpHandlerOptions & FetchHandlerOptions): StreamableHttpFetchHandler {
  const core = createStreamableHttpCore(options);
  return withControls(toFetchHandler(core, options), core);
}

function withControls<F extends object>(handle: F, core: ReturnType<typeof createStreamableHttpCore>): F & StreamableHttpControls & { close(): Promise<void> } {
  return Object.defineProperties(handle, {
    close: { value: () => core.close() },
    closeSseStream: { value: (sessionId: string, requestId?: string | number) => core.closeSseStream(sessionId, requestId) },
    // A getter: the count changes.
    sessionCount: { get: () => core.sessionCount, enumerable: true },
  }) as F & StreamableHttpControls & { close(): Promise<void> };
}
