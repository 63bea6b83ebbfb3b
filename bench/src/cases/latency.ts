/**
 * Notification latency over Streamable HTTP, server and client in ONE process
 * so both ends read the same `performance.now()`:
 *   --impl raw|tidings|tidings-legacy|sdk-v1|sdk-v2  [--rounds 20] [--paced 200]
 * first: `rounds` calls of burst(n = 5, holdMs = 100): time from the tool
 *   handing progress #1 to the library to the client's first callback. A
 *   library that flushes only when the tool returns shows ≥ 100 ms here.
 * paced: one call sending `paced` notifications 2 ms apart: per-notification
 *   latency p50 / p99.
 */
import { once } from 'node:events';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { arg, numArg, parseArgs } from '../lib/args.js';
import { runCase, type CaseResult } from '../lib/result.js';
import { median, percentile } from '../lib/stats.js';
import type { BurstArgs, SendHook } from '../servers/burstTool.js';
import { openBurstClient } from './burstClient.js';

const HOLD_MS = 100;

async function listen(server: HttpServer): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
}

/** Starts the in-process server of `impl`, reporting each send to `hook`; only that library is loaded. */
async function startServer(impl: string, hook: SendHook): Promise<{ url: string; close(): Promise<void> }> {
  const closeHttp = (server: HttpServer) => () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
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
      return { url: await listen(endpoint.httpServer), close: () => endpoint.close() };
    }
    case 'sdk-v2': {
      const { createMcpHandler } = await import('@modelcontextprotocol/server');
      const { createSdkV2BurstServer } = await import('../servers/sdkV2BurstServer.js');
      const { toNodeHandler } = await import('../servers/fetchBridge.js');
      const handler = createMcpHandler(() => createSdkV2BurstServer(hook));
      const server = createHttpServer(toNodeHandler(handler.fetch));
      const url = await listen(server);
      return {
        url,
        close: async () => {
          await handler.close();
          await closeHttp(server)();
        },
      };
    }
    default:
      throw new Error(`unknown impl ${impl}`);
  }
}

async function main(): Promise<CaseResult> {
  const args = parseArgs();
  const impl = arg(args, 'impl');
  const rounds = numArg(args, 'rounds', 20);
  const paced = numArg(args, 'paced', 200);

  const sentAt = new Map<number, number>();
  const receivedAt = new Map<number, number>();
  const hook: SendHook = (progress) => void sentAt.set(progress, performance.now());
  const onProgress = (progress: number): void => {
    if (!receivedAt.has(progress)) receivedAt.set(progress, performance.now());
  };

  const server = await startServer(impl, hook);
  let call: (burst: BurstArgs) => Promise<void>;
  let closeClient: () => Promise<void>;
  if (impl === 'raw') {
    const { openRawHttp } = await import('./rawClients.js');
    const raw = openRawHttp(server.url, onProgress);
    call = (burst) => raw.request(burst);
    closeClient = () => raw.close();
  } else {
    const client = await openBurstClient(impl, { wire: 'http', url: server.url });
    call = (burst) => client.callBurst(burst, onProgress);
    closeClient = () => client.close();
  }

  try {
    const first: number[] = [];
    let lostFirst = 0;
    // One warm-up round, not recorded.
    for (let round = -1; round < rounds; round++) {
      sentAt.clear();
      receivedAt.clear();
      await call({ n: 5, holdMs: HOLD_MS });
      const sent = sentAt.get(1);
      const received = receivedAt.get(1);
      if (round < 0) continue;
      if (sent === undefined || received === undefined) lostFirst++;
      else first.push(received - sent);
    }
    sentAt.clear();
    receivedAt.clear();
    await call({ n: paced, paceMs: 2 });
    const pacedLatency: number[] = [];
    for (const [progress, sent] of sentAt) {
      const received = receivedAt.get(progress);
      if (received !== undefined) pacedLatency.push(received - sent);
    }
    const notes: string[] = [];
    if (lostFirst > 0) notes.push(`first notification never delivered in ${lostFirst} of ${rounds} rounds`);
    if (pacedLatency.length < paced) notes.push(`paced: ${paced - pacedLatency.length} of ${paced} notifications not delivered`);
    return {
      impl,
      metrics: {
        firstP50Ms: median(first),
        firstMaxMs: Math.max(...first),
        pacedP50Ms: median(pacedLatency),
        pacedP99Ms: percentile(pacedLatency, 99),
        holdMs: HOLD_MS,
      },
      notes,
    };
  } finally {
    await closeClient();
    await server.close();
  }
}

runCase(main);
