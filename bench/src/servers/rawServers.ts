import { once } from 'node:events';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { drained } from '../lib/drained.js';
import { ws, type RawSocketServer } from '../lib/ws.js';
import { progressLine, resultLine, runBurst, type BurstArgs, type SendHook } from './burstTool.js';

/** What a raw client sends to start a burst: the tool's arguments plus an id. */
export interface RawRequest extends BurstArgs {
  readonly id: number;
}

const resolved = Promise.resolve();

/** Raw stdio: for each request line, n progress lines then the result line on stdout, one write each. */
export function serveRawStdio(hook?: SendHook): void {
  createInterface({ input: process.stdin }).on('line', (line) => {
    const request = JSON.parse(line) as RawRequest;
    void runBurst(request, (i, n) => (process.stdout.write(`${progressLine(request.id, i, n)}\n`) ? resolved : drained(process.stdout)), hook).then(() =>
      process.stdout.write(`${resultLine(request.id, request.n)}\n`),
    );
  });
}

/** Raw HTTP: a POST of a {@link RawRequest} gets an SSE stream of n progress events then the result event, one write each. */
export async function serveRawHttp(hook?: SendHook): Promise<{ url: string; server: HttpServer }> {
  const server = createHttpServer((req, res) => {
    void (async () => {
      let body = '';
      for await (const chunk of req) body += String(chunk);
      const request = JSON.parse(body) as RawRequest;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.flushHeaders();
      await runBurst(request, (i, n) => (res.write(`event: message\ndata: ${progressLine(request.id, i, n)}\n\n`) ? resolved : drained(res)), hook);
      res.end(`event: message\ndata: ${resultLine(request.id, request.n)}\n\n`);
    })().catch(() => res.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, server };
}

/** Raw WebSocket: a text frame {@link RawRequest} gets n progress frames then the result frame. */
export async function serveRawWs(hook?: SendHook): Promise<{ url: string; server: RawSocketServer }> {
  const server = new ws.WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const request = JSON.parse(String(data)) as RawRequest;
      void runBurst(request, (i, n) => {
        const line = progressLine(request.id, i, n);
        // Same bound as a careful server: once 1 MiB is queued, wait until this frame is written.
        if (socket.bufferedAmount <= 1024 * 1024) {
          socket.send(line);
          return resolved;
        }
        return new Promise<void>((resolve) => socket.send(line, () => resolve()));
      }, hook).then(() => socket.send(resultLine(request.id, request.n)));
    });
  });
  const { port } = server.address() as { port: number };
  return { url: `ws://127.0.0.1:${port}/`, server };
}
