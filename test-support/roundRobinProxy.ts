import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** A load balancer with no stickiness, as clients without cookies meet one (DESIGN.md §8). */
export interface RoundRobinProxy {
  /** The proxy's origin, `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** Which upstream (by index) served each request so far, in order. */
  readonly served: readonly number[];
  /** Replaces the upstream list (a node left or came back); later requests use the new one. */
  setUpstreams(origins: readonly string[]): void;
  /** The origin of the upstream the next request goes to. */
  nextOrigin(): string;
  /** The GET streams open through the proxy now: the upstream serving each, and its `Mcp-Session-Id`. */
  streams(): Array<{ readonly origin: string; readonly sessionId: string | undefined }>;
  /** Cuts every GET stream open through the proxy, as a network drop would (clients resume); how many it cut. */
  cutStreams(): number;
  close(): Promise<void>;
}

/**
 * Starts an HTTP proxy on 127.0.0.1 (port 0) that sends each request to the
 * next upstream in turn — never the same node twice in a row when there are
 * several — and streams both bodies through unchanged (SSE included). An
 * upstream that refuses the connection is skipped for that request; when
 * none answers the client gets 502.
 */
export async function startRoundRobinProxy(upstreams: readonly string[]): Promise<RoundRobinProxy> {
  let targets = upstreams.map((o) => new URL(o));
  let next = 0;
  const served: number[] = [];
  const open = new Set<ServerResponse>();
  /** GET streams whose answer is flowing, with the upstream serving each. */
  const getStreams = new Map<ServerResponse, { readonly origin: string; readonly sessionId: string | undefined }>();

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, tries: number): void => {
    const index = next++ % targets.length;
    const target = targets[index]!;
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (answer) => {
        served.push(index);
        if (req.method === 'GET') {
          getStreams.set(res, { origin: target.origin, sessionId: req.headers['mcp-session-id'] as string | undefined });
          res.on('close', () => getStreams.delete(res));
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        res.flushHeaders();
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      },
    );
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      // Only a node that refused the connection never saw the request: retrying any other would run it twice.
      if (res.headersSent || res.destroyed || error.code !== 'ECONNREFUSED') return void res.destroy();
      if (tries + 1 < targets.length) return forward(req, res, body, tries + 1);
      res.writeHead(502, { 'content-type': 'text/plain' }).end('no upstream answered');
    });
    // The client leaving ends the upstream request too: the node sees its stream closed.
    res.on('close', () => upstream.destroy());
    upstream.end(body);
  };

  const server: Server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    // Buffered so a refused connection can be retried on the next node; bounded like a real balancer.
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => (size > MAX_BODY_BYTES ? res.writeHead(413).end() : forward(req, res, Buffer.concat(chunks), 0)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    served,
    setUpstreams(origins) {
      targets = origins.map((o) => new URL(o));
    },
    nextOrigin: () => targets[next % targets.length]!.origin,
    streams: () => [...getStreams.values()],
    cutStreams() {
      const cut = [...getStreams.keys()];
      getStreams.clear();
      for (const res of cut) res.destroy();
      return cut.length;
    },
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
