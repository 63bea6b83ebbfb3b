import { isLoopbackHostname } from '@tidings/protocol/http';
import { createSseFetchHandler, createSseServer } from '@tidings/sse';
import { createStdioServerTransport } from '@tidings/stdio';
import { createStreamableHttpFetchHandler, createStreamableHttpServer } from '@tidings/streamable-http';
import { createWebSocketServer } from '@tidings/websocket';
import { createReferenceServer } from './createReferenceServer.js';
import { joinCluster } from './joinCluster.js';
import { serveFetch } from './fetchBridge.js';
import type { ReferenceArgs } from './parseReferenceArgs.js';

/** A reference server serving one transport. */
export interface RunningReference {
  /** What the CLI prints after `listening `: the endpoint URL, or `stdio`. */
  readonly url: string;
  /**
   * Resolves when the transport ended by itself: stdin ended (stdio). Never
   * resolves for network transports, which end only through `close`.
   */
  readonly ended: Promise<void>;
  /** Stops the transport, then closes the server. Resolves once both are closed; never rejects. */
  close(): Promise<void>;
}

/**
 * Creates the reference server and serves it on the transport `args` names.
 * Resolves once it accepts connections (stdio: once it reads stdin); rejects
 * when a network transport cannot listen.
 */
export async function startReferenceTransport(args: ReferenceArgs): Promise<RunningReference> {
  // Filled in once the Streamable HTTP server exists; test_reconnection only runs after that.
  let streamable: { closeSseStream(sessionId: string, requestId?: string | number): boolean } | undefined;
  const shared = args.redis === undefined ? undefined : joinCluster(args.redis, args.nodeId);
  const secret = args.requestStateSecret === undefined ? {} : { requestStateSecret: args.requestStateSecret };
  const server = createReferenceServer({
    closeSseStream: (sessionId, requestId) => streamable?.closeSseStream(sessionId, requestId) ?? false,
    server: { ...shared?.serverOptions, ...secret },
  });
  const closeBoth = async (stopTransport: () => Promise<void>): Promise<void> => {
    await stopTransport().catch(() => undefined);
    await server.close().catch(() => undefined);
    await shared?.close();
  };
  const eventStore = shared ? { eventStore: shared.eventStore, sessionStore: shared.sessionStore } : {};
  // A node serves once it hears the others: a client's first listen must not miss a broadcast.
  await server.cluster?.joined;
  const never = new Promise<void>(() => {});

  switch (args.transport) {
    case 'stdio': {
      const transport = createStdioServerTransport();
      const client = server.connect(transport);
      return { url: 'stdio', ended: transport.closed, close: () => closeBoth(() => client.close('shutting down')) };
    }
    case 'websocket': {
      const ws = await createWebSocketServer({ server, port: args.port, host: args.host });
      return { url: ws.url, ended: never, close: () => closeBoth(() => ws.close()) };
    }
    case 'sse': {
      if (args.runtime === 'fetch') {
        const handler = createSseFetchHandler({ server, loopback: isLoopbackHostname(args.host) });
        const bridge = await serveFetch(handler, '/sse', { port: args.port, host: args.host });
        return { url: bridge.url, ended: never, close: () => closeBoth(async () => (await handler.close(), await bridge.close())) };
      }
      const sse = await createSseServer({ server, port: args.port, host: args.host });
      return { url: sse.url, ended: never, close: () => closeBoth(() => sse.close()) };
    }
    case 'streamable-http': {
      if (args.runtime === 'fetch') {
        const handler = createStreamableHttpFetchHandler({ server, path: '/mcp', loopback: isLoopbackHostname(args.host), ...eventStore });
        streamable = handler;
        const bridge = await serveFetch(handler, '/mcp', { port: args.port, host: args.host });
        return { url: bridge.url, ended: never, close: () => closeBoth(async () => (await handler.close(), await bridge.close())) };
      }
      const http = await createStreamableHttpServer({ server, port: args.port, host: args.host, ...eventStore });
      streamable = http.handler;
      return { url: http.url, ended: never, close: () => closeBoth(() => http.close()) };
    }
  }
}
