/**
 * The server side of the broadcast and heap cases (run with --expose-gc):
 *   --impl tidings|tidings-sse|sdk-v1|sdk-v2|raw
 * Listens on 127.0.0.1 port 0, prints `listening <url>`, then answers one
 * JSON line per command line on stdin:
 *   count      → { sessions }                 live sessions / listen streams / raw streams
 *   heap       → { heapUsed }                 after three forced GCs
 *   broadcast  → { t0, t1, reached }          tools/list_changed to every session;
 *                                             t0/t1 = process.hrtime.bigint() before the call and once it resolved
 */
import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import type { Server as TidingsServer } from '@tidings/protocol';
import { arg, parseArgs } from '../lib/args.js';
import { sleep } from '../lib/stats.js';

/** The bytes every implementation broadcasts (raw writes exactly this in its `data:` line). */
export const LIST_CHANGED = '{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}';

interface Served {
  readonly url: string;
  count(): number;
  /** Sends the notification to everyone; resolves with how many it reached once the library says it is written. */
  broadcast(): Promise<number>;
}

const noTool = (): string => 'ok';

/** A Tidings server with one tool, so it declares tools.listChanged. */
async function tidingsServer(): Promise<TidingsServer> {
  const { createServer } = await import('@tidings/protocol');
  const server = createServer({ name: 'bench-sessions', version: '1.0.0' }, { onDiagnostic: () => {} });
  server.tool({ name: 'noop' }, noTool);
  return server;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createHttpServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
}

async function serveTidings(): Promise<Served> {
  const { createStreamableHttpServer } = await import('@tidings/streamable-http');
  const server = await tidingsServer();
  const http = await createStreamableHttpServer({ server, port: 0 });
  return { url: http.url, count: () => server.sessions().length, broadcast: () => server.broadcast('notifications/tools/list_changed') };
}

async function serveTidingsSse(): Promise<Served> {
  const { createSseServer } = await import('@tidings/sse');
  const server = await tidingsServer();
  const sse = await createSseServer({ server, port: 0 });
  return { url: sse.url, count: () => server.sessions().length, broadcast: () => server.broadcast('notifications/tools/list_changed') };
}

async function serveSdkV1(): Promise<Served> {
  const { McpServer: V1McpServer } = await import('@modelcontextprotocol/sdk/server/mcp.js');
  const { createSdkV1HttpEndpoint } = await import('./sdkV1BurstServer.js');
  const servers = new Set<InstanceType<typeof V1McpServer>>();
  const endpoint = createSdkV1HttpEndpoint(() => {
    const mcp = new V1McpServer({ name: 'bench-sessions-v1', version: '1.0.0' }, { capabilities: { tools: { listChanged: true } } });
    mcp.registerTool('noop', {}, async () => ({ content: [] }));
    servers.add(mcp);
    mcp.server.onclose = () => servers.delete(mcp);
    return mcp;
  });
  endpoint.httpServer.listen(0, '127.0.0.1');
  await once(endpoint.httpServer, 'listening');
  return {
    url: `http://127.0.0.1:${(endpoint.httpServer.address() as AddressInfo).port}/mcp`,
    count: () => endpoint.sessions(),
    // v1 has no broadcast: the documented way is one sendToolListChanged per session's McpServer.
    broadcast: async () => {
      let reached = 0;
      for (const mcp of servers) {
        if (!mcp.isConnected()) continue;
        mcp.sendToolListChanged();
        reached++;
      }
      return reached;
    },
  };
}

async function serveSdkV2(): Promise<Served> {
  const { createMcpHandler, McpServer: V2McpServer } = await import('@modelcontextprotocol/server');
  const { toNodeHandler } = await import('./fetchBridge.js');
  const handler = createMcpHandler(() => {
    const mcp = new V2McpServer({ name: 'bench-sessions-v2', version: '2.0.0' }, { capabilities: { tools: { listChanged: true } } });
    mcp.registerTool('noop', {}, async () => ({ content: [] }));
    return mcp;
  }, { maxSubscriptions: 20_000 });
  const bus = handler.bus as unknown as { listenerCount: number };
  const url = await listen(toNodeHandler(handler.fetch));
  return {
    url,
    count: () => bus.listenerCount,
    broadcast: async () => {
      handler.notify.toolsChanged();
      return bus.listenerCount;
    },
  };
}

async function serveRaw(): Promise<Served> {
  const streams = new Set<ServerResponse>();
  let eventId = 0;
  const url = await listen((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.flushHeaders();
    streams.add(res);
    res.once('close', () => streams.delete(res));
    req.resume();
  });
  return {
    url,
    count: () => streams.size,
    // What a hand-written node:http SSE server does: serialise once, write to every response.
    broadcast: async () => {
      const event = `id: ${++eventId}\nevent: message\ndata: ${LIST_CHANGED}\n\n`;
      for (const res of streams) res.write(event);
      return streams.size;
    },
  };
}

async function heapUsed(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(10);
  }
  return process.memoryUsage().heapUsed;
}

const impl = arg(parseArgs(), 'impl');
const served =
  impl === 'tidings'
    ? await serveTidings()
    : impl === 'tidings-sse'
      ? await serveTidingsSse()
      : impl === 'sdk-v1'
        ? await serveSdkV1()
        : impl === 'sdk-v2'
          ? await serveSdkV2()
          : impl === 'raw'
            ? await serveRaw()
            : undefined;
if (!served) {
  process.stderr.write(`sessionServer: unknown impl ${impl}\n`);
  process.exit(2);
}
const reply = (value: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`);
reply({ listening: served.url });
createInterface({ input: process.stdin }).on('line', (command) => {
  void (async () => {
    switch (command.trim()) {
      case 'count':
        return reply({ sessions: served.count() });
      case 'heap':
        return reply({ heapUsed: await heapUsed() });
      case 'broadcast': {
        const t0 = process.hrtime.bigint();
        const reached = await served.broadcast();
        const t1 = process.hrtime.bigint();
        return reply({ t0, t1, reached });
      }
      default:
        return reply({ error: `unknown command ${command}` });
    }
  })().catch((error: unknown) => reply({ error: String(error) }));
});
