import type { Server } from '@tidings/protocol';
import { createSseFetchHandler, createSseServer } from '@tidings/sse';
import { createStreamableHttpFetchHandler, createStreamableHttpServer } from '@tidings/streamable-http';
import { serveFetch } from '../../src/reference/fetchBridge.js';
import { listenerPerServer } from './listenerPerServer.js';

/** The bindings an HTTP transport is served through: every HTTP cell runs on each. */
export const HTTP_RUNTIMES = ['node', 'fetch'] as const;
export type HttpRuntime = (typeof HTTP_RUNTIMES)[number];

/** A row name with its binding: the Node binding keeps the plain name. */
export const withRuntime = (name: string, runtime: HttpRuntime): string => (runtime === 'node' ? name : `${name} (fetch)`);

interface Listener {
  readonly url: string;
  close(): Promise<void>;
}

/** Streamable HTTP at `/mcp`: Node's handler on its own server, or the fetch handler behind Node's own Request/Response. */
function streamableHttp(runtime: HttpRuntime): (server: Server) => Promise<Listener> {
  if (runtime === 'node') return (server) => createStreamableHttpServer({ server, port: 0 });
  return async (server) => {
    const handler = createStreamableHttpFetchHandler({ server, path: '/mcp', loopback: true });
    const bridge = await serveFetch(handler, '/mcp');
    return { url: bridge.url, close: async () => (await handler.close(), await bridge.close()) };
  };
}

/** HTTP+SSE at `/sse`, as {@link streamableHttp}. */
function sse(runtime: HttpRuntime): (server: Server) => Promise<Listener> {
  if (runtime === 'node') return (server) => createSseServer({ server, port: 0 });
  return async (server) => {
    const handler = createSseFetchHandler({ server, loopback: true });
    const bridge = await serveFetch(handler, '/sse');
    return { url: bridge.url, close: async () => (await handler.close(), await bridge.close()) };
  };
}

/** One Streamable HTTP listener per reference server, through `runtime`. */
export const streamableHttpUrlOf = (runtime: HttpRuntime) => listenerPerServer(streamableHttp(runtime));

/** One HTTP+SSE listener per reference server, through `runtime`. */
export const sseUrlOf = (runtime: HttpRuntime) => listenerPerServer(sse(runtime));
