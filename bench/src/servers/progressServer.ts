/**
 * The server side of the throughput cases, one process per case:
 *   --impl raw|tidings|sdk-v1|sdk-v2  --transport stdio|http|ws|sse
 * stdio servers speak on stdin/stdout; http and ws servers listen on
 * 127.0.0.1 port 0 and print `listening <url>` on stdout. Ended by the case
 * (stdin closed, or SIGTERM by PID). Only the library of `impl` is loaded.
 * A stdio server started by the latency case records its send times (lib/sentLog.ts).
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { arg, parseArgs } from '../lib/args.js';
import { sentLogHook } from '../lib/sentLog.js';

const args = parseArgs();
const impl = arg(args, 'impl');
const transport = arg(args, 'transport');

const hook = transport === 'stdio' ? sentLogHook() : undefined;

const listening = (url: string): void => void process.stdout.write(`listening ${url}\n`);

switch (`${impl}/${transport}`) {
  case 'raw/stdio':
    (await import('./rawServers.js')).serveRawStdio(hook);
    break;
  case 'raw/http':
    listening((await (await import('./rawServers.js')).serveRawHttp()).url);
    break;
  case 'raw/sse':
    // The same bytes as HTTP+SSE carries them: events on an SSE response of node:http, read with fetch.
    listening((await (await import('./rawServers.js')).serveRawHttp()).url);
    break;
  case 'raw/ws':
    listening((await (await import('./rawServers.js')).serveRawWs()).url);
    break;
  case 'tidings/stdio': {
    const { serveStdio } = await import('@tidings/stdio');
    const { createTidingsBurstServer } = await import('./tidingsBurstServer.js');
    await serveStdio(createTidingsBurstServer(hook));
    break;
  }
  case 'tidings/http': {
    const { createStreamableHttpServer } = await import('@tidings/streamable-http');
    const { createTidingsBurstServer } = await import('./tidingsBurstServer.js');
    listening((await createStreamableHttpServer({ server: createTidingsBurstServer(), port: 0 })).url);
    break;
  }
  case 'tidings/sse': {
    const { createSseServer } = await import('@tidings/sse');
    const { createTidingsBurstServer } = await import('./tidingsBurstServer.js');
    listening((await createSseServer({ server: createTidingsBurstServer(), port: 0 })).url);
    break;
  }
  case 'sdk-v1/sse': {
    const { createSdkV1SseEndpoint } = await import('./sdkV1SseEndpoint.js');
    const endpoint = createSdkV1SseEndpoint();
    endpoint.listen(0, '127.0.0.1');
    await once(endpoint, 'listening');
    listening(`http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/sse`);
    break;
  }
  case 'tidings/ws': {
    const { createWebSocketServer } = await import('@tidings/websocket');
    const { createTidingsBurstServer } = await import('./tidingsBurstServer.js');
    listening((await createWebSocketServer({ server: createTidingsBurstServer(), port: 0 })).url);
    break;
  }
  case 'sdk-v1/stdio': {
    const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
    const { createSdkV1BurstServer } = await import('./sdkV1BurstServer.js');
    await createSdkV1BurstServer(hook).connect(new StdioServerTransport());
    break;
  }
  case 'sdk-v1/http': {
    const { createSdkV1BurstServer, createSdkV1HttpEndpoint } = await import('./sdkV1BurstServer.js');
    const endpoint = createSdkV1HttpEndpoint(() => createSdkV1BurstServer());
    endpoint.httpServer.listen(0, '127.0.0.1');
    await once(endpoint.httpServer, 'listening');
    listening(`http://127.0.0.1:${(endpoint.httpServer.address() as AddressInfo).port}/mcp`);
    break;
  }
  case 'sdk-v2/stdio': {
    const { serveStdio } = await import('@modelcontextprotocol/server/stdio');
    const { createSdkV2BurstServer } = await import('./sdkV2BurstServer.js');
    serveStdio(() => createSdkV2BurstServer(hook));
    break;
  }
  case 'sdk-v2/http': {
    const { createServer: createHttpServer } = await import('node:http');
    const { createMcpHandler } = await import('@modelcontextprotocol/server');
    const { createSdkV2BurstServer } = await import('./sdkV2BurstServer.js');
    const { toNodeHandler } = await import('./fetchBridge.js');
    const handler = createMcpHandler(() => createSdkV2BurstServer());
    const server = createHttpServer(toNodeHandler(handler.fetch));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    listening(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
    break;
  }
  default:
    process.stderr.write(`progressServer: no ${impl} server for ${transport}\n`);
    process.exit(2);
}
