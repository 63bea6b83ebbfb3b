import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

/** A fetch handler listening on 127.0.0.1 through Node's own `Request` and `Response`. */
export interface FetchBridge {
  readonly url: string;
  close(): Promise<void>;
}

function requestOf(req: IncomingMessage, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const body = hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined;
  return new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`, { method: req.method, headers, body, signal, duplex: 'half' } as RequestInit);
}

/**
 * Serves `handler` (on 127.0.0.1, port 0, unless told otherwise) the way a fetch runtime (Bun, Deno,
 * Workers) would: each request becomes a `Request`, the `Response` body is
 * read as the client takes it, and a client going away aborts the request's
 * signal and cancels the body. `path` is the URL's path (what clients are told).
 */
export async function serveFetch(
  handler: (request: Request) => Promise<Response>,
  path: string,
  where: { readonly port?: number; readonly host?: string } = {},
): Promise<FetchBridge> {
  const server = createServer(async (req, res) => {
    const left = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) left.abort();
    });
    const response = await handler(requestOf(req, left.signal));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) return void res.end();
    const reader = response.body.getReader();
    res.on('close', () => void reader.cancel().catch(() => {}));
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!res.write(value)) await new Promise((resolve) => (res.once('drain', resolve), res.once('close', resolve)));
      }
      res.end();
    } catch {
      res.destroy();
    }
  });
  const host = where.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(where.port ?? 0, host, () => (server.off('error', reject), resolve()));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
