import { once } from 'node:events';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SendHook } from '../servers/burstTool.js';
import type { WireName } from './burstClient.js';

/** A server the latency case runs in its own process; `url` is what the client connects to. */
export interface LatencyServer {
  readonly url: string;
  close(): Promise<void>;
}

async function listen(server: HttpServer, path: string): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
}

const closeHttp = (server: HttpServer) => () =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

/** Streamable HTTP servers (the original table 3): raw SSE-over-POST, Tidings, SDK v1 sessions, SDK v2 behind the fetch bridge. */
async function startHttp(impl: string, hook: SendHook): Promise<LatencyServer> {
  switch (impl) {
    case 'raw': {
      const { serveRawHttp } = await import('../servers/rawServers.js');
      const { url, server } = await serveRawHttp(hook);
      return { url, close: closeHttp(server) };
    }
    case 'tidings':
    case 'tidings-legacy': {
      const { createStreamableHttpServer } = await import('@tidings/streamable-http');
      const { createTidingsBurstServer } = await import('../servers/tidingsBurstServer.js');
      const http = await createStreamableHttpServer({ server: createTidingsBurstServer(hook), port: 0 });
      return { url: http.url, close: () => http.close() };
    }
    case 'sdk-v1': {
      const { createSdkV1BurstServer, createSdkV1HttpEndpoint } = await import('../servers/sdkV1BurstServer.js');
      const endpoint = createSdkV1HttpEndpoint(() => createSdkV1BurstServer(hook));
      return { url: await listen(endpoint.httpServer, '/mcp'), close: () => endpoint.close() };
    }
    case 'sdk-v2': {
      const { createMcpHandler } = await import('@modelcontextprotocol/server');
      const { createSdkV2BurstServer } = await import('../servers/sdkV2BurstServer.js');
      const { toNodeHandler } = await import('../servers/fetchBridge.js');
      const handler = createMcpHandler(() => createSdkV2BurstServer(hook));
      const server = createHttpServer(toNodeHandler(handler.fetch));
      const url = await listen(server, '/mcp');
      return {
        url,
        close: async () => {
          await handler.close();
          await closeHttp(server)();
        },
      };
    }
    default:
      throw new Error(`no ${impl} server for http`);
  }
}

/** WebSocket servers: raw `ws`, Tidings (also what the SDK v1 client is measured against: v1 has no WebSocket server). */
async function startWs(impl: string, hook: SendHook): Promise<LatencyServer> {
  if (impl === 'raw') {
    const { serveRawWs } = await import('../servers/rawServers.js');
    const { url, server } = await serveRawWs(hook);
    return {
      url,
      close: () =>
        new Promise<void>((resolve) => {
          for (const socket of server.clients) socket.terminate();
          server.close(() => resolve());
        }),
    };
  }
  const { createWebSocketServer } = await import('@tidings/websocket');
  const { createTidingsBurstServer } = await import('../servers/tidingsBurstServer.js');
  const server = await createWebSocketServer({ server: createTidingsBurstServer(hook), port: 0 });
  return { url: server.url, close: () => server.close() };
}

/** Legacy HTTP+SSE servers: raw (the same events on an SSE response, as in throughput 2c), Tidings, SDK v1. */
async function startSse(impl: string, hook: SendHook): Promise<LatencyServer> {
  switch (impl) {
    case 'raw':
      return startHttp('raw', hook);
    case 'tidings': {
      const { createSseServer } = await import('@tidings/sse');
      const { createTidingsBurstServer } = await import('../servers/tidingsBurstServer.js');
      const sse = await createSseServer({ server: createTidingsBurstServer(hook), port: 0 });
      return { url: sse.url, close: () => sse.close() };
    }
    case 'sdk-v1': {
      const { createSdkV1SseEndpoint } = await import('../servers/sdkV1SseEndpoint.js');
      const server = createSdkV1SseEndpoint(hook);
      return { url: await listen(server, '/sse'), close: closeHttp(server) };
    }
    default:
      throw new Error(`no ${impl} server for sse`);
  }
}

/**
 * Starts the server of `impl` on `wire` in this process, reporting each send to
 * `hook`; only that library is loaded. Undefined for stdio: there the client
 * library spawns the server (servers/progressServer.ts), which logs its send times.
 */
export async function startLatencyServer(impl: string, wire: WireName, hook: SendHook): Promise<LatencyServer | undefined> {
  switch (wire) {
    case 'http':
      return startHttp(impl, hook);
    case 'ws':
      return startWs(impl, hook);
    case 'sse':
      return startSse(impl, hook);
    case 'stdio':
      return undefined;
  }
}
