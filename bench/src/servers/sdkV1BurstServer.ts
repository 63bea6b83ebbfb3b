import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { BURST_TOOL, burstShape, runBurst, type SendHook } from './burstTool.js';

/** An SDK v1 McpServer with the `burst` tool (one per connection: a v1 server holds one transport). */
export function createSdkV1BurstServer(hook?: SendHook): McpServer {
  const mcp = new McpServer({ name: 'bench-sdk-v1', version: '1.0.0' }, { capabilities: {} });
  mcp.registerTool(BURST_TOOL, { inputSchema: burstShape }, async (args, extra) => {
    const token = extra._meta?.progressToken;
    await runBurst(
      args,
      (progress, total) =>
        token === undefined
          ? Promise.resolve()
          : extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress, total } }),
      hook,
    );
    return { content: [{ type: 'text', text: `sent ${args.n}` }] };
  });
  return mcp;
}

/** A stateful (sessions) SDK v1 Streamable HTTP endpoint, the documented pattern: one transport and McpServer per session. */
export interface SdkV1HttpEndpoint {
  readonly httpServer: HttpServer;
  /** Open sessions right now. */
  readonly sessions: () => number;
  close(): Promise<void>;
}

/** Builds the node:http server (not yet listening) serving SDK v1 sessions from `build`. */
export function createSdkV1HttpEndpoint(build: () => McpServer): SdkV1HttpEndpoint {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const servers = new Set<McpServer>();
  const httpServer = createHttpServer((req, res) => {
    void (async () => {
      const id = req.headers['mcp-session-id'];
      let transport = typeof id === 'string' ? transports.get(id) : undefined;
      if (!transport) {
        if (typeof id === 'string') {
          res.writeHead(404).end();
          return;
        }
        const created: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
          sessionIdGenerator: randomUUID,
          onsessioninitialized: (sid) => void transports.set(sid, created),
          onsessionclosed: (sid) => {
            transports.delete(sid);
          },
        });
        const mcp = build();
        servers.add(mcp);
        created.onclose = () => {
          if (created.sessionId) transports.delete(created.sessionId);
          servers.delete(mcp);
        };
        await mcp.connect(created);
        transport = created;
      }
      await transport.handleRequest(req, res);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  return {
    httpServer,
    sessions: () => transports.size,
    async close() {
      await Promise.allSettled([...servers].map((s) => s.close()));
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
    },
  };
}
