/**
 * The server side of the throughput cases, one process per case:
 *   --impl raw|tidings|sdk-v1|sdk-v2  --transport stdio|http|ws
 * stdio servers speak on stdin/stdout; http and ws servers listen on
 * 127.0.0.1 port 0 and print `listening <url>` on stdout. Ended by the case (SIGTERM by PID).
 */
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { serveStdio as serveSdkV2Stdio } from '@modelcontextprotocol/server/stdio';
import { serveStdio } from '@tidings/stdio';
import { createStreamableHttpServer } from '@tidings/streamable-http';
import { createWebSocketServer } from '@tidings/websocket';
import { arg, parseArgs } from '../lib/args.js';
import { toNodeHandler } from './fetchBridge.js';
import { serveRawHttp, serveRawStdio, serveRawWs } from './rawServers.js';
import { createSdkV1BurstServer, createSdkV1HttpEndpoint } from './sdkV1BurstServer.js';
import { createSdkV2BurstServer } from './sdkV2BurstServer.js';
import { createTidingsBurstServer } from './tidingsBurstServer.js';

const args = parseArgs();
const impl = arg(args, 'impl');
const transport = arg(args, 'transport');

const listening = (url: string): void => void process.stdout.write(`listening ${url}\n`);

async function listenNode(handler: Parameters<typeof createHttpServer>[1]): Promise<string> {
  const server = createHttpServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
}

switch (`${impl}/${transport}`) {
  case 'raw/stdio':
    serveRawStdio();
    break;
  case 'raw/http':
    listening((await serveRawHttp()).url);
    break;
  case 'raw/ws':
    listening((await serveRawWs()).url);
    break;
  case 'tidings/stdio':
    await serveStdio(createTidingsBurstServer());
    break;
  case 'tidings/http':
    listening((await createStreamableHttpServer({ server: createTidingsBurstServer(), port: 0 })).url);
    break;
  case 'tidings/ws':
    listening((await createWebSocketServer({ server: createTidingsBurstServer(), port: 0 })).url);
    break;
  case 'sdk-v1/stdio':
    await createSdkV1BurstServer().connect(new StdioServerTransport());
    break;
  case 'sdk-v1/http': {
    const endpoint = createSdkV1HttpEndpoint(() => createSdkV1BurstServer());
    endpoint.httpServer.listen(0, '127.0.0.1');
    await once(endpoint.httpServer, 'listening');
    listening(`http://127.0.0.1:${(endpoint.httpServer.address() as AddressInfo).port}/mcp`);
    break;
  }
  case 'sdk-v2/stdio':
    serveSdkV2Stdio(() => createSdkV2BurstServer());
    break;
  case 'sdk-v2/http': {
    const handler = createMcpHandler(() => createSdkV2BurstServer());
    listening(await listenNode(toNodeHandler(handler.fetch)));
    break;
  }
  default:
    process.stderr.write(`progressServer: no ${impl} server for ${transport}\n`);
    process.exit(2);
}
