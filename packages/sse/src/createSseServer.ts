import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SseHandlerOptions } from '@tidings/http';
import { createSseHandler } from './createSseHandler.js';

/** Options of {@link createSseServer}: the handler's, plus where to listen. */
export interface SseServerOptions extends SseHandlerOptions {
  /** Port to listen on; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Interface to bind; keep the loopback default for local servers (2024-11-05 §security warning). @default '127.0.0.1' */
  readonly host?: string;
}

/** A listening HTTP+SSE server. */
export interface SseServer {
  /** URL of the stream endpoint, what clients connect to (`http://127.0.0.1:PORT/sse`). */
  readonly url: string;
  /** The port bound, useful with `port: 0`. */
  readonly port: number;
  /**
   * Ends every stream and session, stops listening and drops idle
   * connections. Resolves once the port is released. Does not close the
   * Tidings server itself, which may serve other transports.
   */
  close(): Promise<void>;
}

/**
 * Listens on its own `node:http` server with {@link createSseHandler}.
 * Resolves once the port is bound; rejects when it cannot be (in use, no
 * permission).
 */
export async function createSseServer(options: SseServerOptions): Promise<SseServer> {
  const host = options.host ?? '127.0.0.1';
  const handler = createSseHandler(options);
  const http = createHttpServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const { port } = http.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}${options.endpointPath ?? '/sse'}`,
    port,
    async close() {
      await handler.close();
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        // Ended streams leave keep-alive sockets behind; without this `close` would wait for them.
        http.closeAllConnections();
      });
    },
  };
}
