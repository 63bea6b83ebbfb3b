import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import type { SendHook } from './burstTool.js';
import { createSdkV1BurstServer } from './sdkV1BurstServer.js';

/** SDK v1's HTTP+SSE server as its documentation sets it up: GET /sse opens a session, POST /messages?sessionId= feeds it. */
export function createSdkV1SseEndpoint(hook?: SendHook): HttpServer {
  const transports = new Map<string, SSEServerTransport>();
  return createHttpServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'GET' && url.pathname === '/sse') {
        const transport = new SSEServerTransport('/messages', res);
        transports.set(transport.sessionId, transport);
        res.on('close', () => transports.delete(transport.sessionId));
        await createSdkV1BurstServer(hook).connect(transport);
        return;
      }
      const transport = transports.get(url.searchParams.get('sessionId') ?? '');
      if (req.method === 'POST' && url.pathname === '/messages' && transport) return transport.handlePostMessage(req, res);
      res.writeHead(404).end();
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
}
