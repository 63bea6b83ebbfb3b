import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StreamableHttpHandlerOptions } from '@tidings/http';
import { createStreamableHttpHandler, type StreamableHttpHandler } from './createStreamableHttpHandler.js';

/** Options of {@link createStreamableHttpServer}: the handler's, plus where to listen. */
export interface StreamableHttpServerOptions extends StreamableHttpHandlerOptions {
  /** Port to listen on; 0 picks a free one. */
  readonly port: number;
  /** Interface to bind. @default '127.0.0.1' (loopback only, as the spec advises for local servers) */
  readonly host?: string;
  /** Path of the MCP endpoint; other paths get 404. @default '/mcp' */
  readonly path?: string;
}

/** A running Streamable HTTP server. */
export interface StreamableHttpServer {
  /** The MCP endpoint, e.g. `http://127.0.0.1:43121/mcp`. */
  readonly url: string;
  /** The handler serving the endpoint (for `closeSseStream`, `sessionCount`). */
  readonly handler: StreamableHttpHandler;
  /** The underlying `node:http` server. */
  readonly httpServer: HttpServer;
  /** Ends every session and stream, then stops listening. Resolves once the port is free. */
  close(): Promise<void>;
}

/**
 * Listens on `host:port` and serves the MCP endpoint at `path` with
 * {@link createStreamableHttpHandler}. Resolves once listening.
 */
export async function createStreamableHttpServer(options: StreamableHttpServerOptions): Promise<StreamableHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const path = options.path ?? '/mcp';
  const handler = createStreamableHttpHandler({ ...options, path });
  const httpServer = createHttpServer((req, res) => {
    void handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${hostPart}:${port}${path}`,
    handler,
    httpServer,
    async close() {
      await handler.close();
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
    },
  };
}
