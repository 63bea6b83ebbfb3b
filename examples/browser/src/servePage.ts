import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStreamableHttpServer, type StreamableHttpServer } from '@tidings/streamable-http';
import { createReferenceServer } from '../../../test-conformance/src/reference/createReferenceServer.js';
import { bundlePage } from './bundlePage.js';

/** The page on one origin, the reference server on another that allows it (CORS). */
export interface PageAndServer {
  /** The page's origin, e.g. `http://127.0.0.1:41234`. */
  readonly pageOrigin: string;
  /** The MCP endpoint the page connects to. */
  readonly mcpUrl: string;
  /** The page URL for an era. */
  pageUrl(era: 'legacy' | 'modern'): string;
  /** Closes the MCP endpoint, the reference server and the page server; resolves when all three are closed. */
  close(): Promise<void>;
}

/** Serves the bundled page and a reference server on 127.0.0.1, both on free ports (or the ones given). */
export async function servePage(ports: { page?: number; mcp?: number } = {}): Promise<PageAndServer> {
  const files = await bundlePage();
  const page = createHttpServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path === '/' || path === '/index.html') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(files.html);
    if (path === '/page.js') return void res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(files.script);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => page.listen(ports.page ?? 0, '127.0.0.1', resolve));
  const pageOrigin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
  const server = createReferenceServer();
  let http: StreamableHttpServer;
  try {
    http = await createStreamableHttpServer({ server, port: ports.mcp ?? 0, allowedOrigins: [pageOrigin] });
  } catch (error) {
    page.close();
    throw error;
  }
  return {
    pageOrigin,
    mcpUrl: http.url,
    pageUrl: (era) => `${pageOrigin}/?server=${encodeURIComponent(http.url)}&era=${era}`,
    async close() {
      await http.close();
      await server.close();
      await new Promise<void>((resolve) => {
        page.close(() => resolve());
        page.closeAllConnections();
      });
    },
  };
}
