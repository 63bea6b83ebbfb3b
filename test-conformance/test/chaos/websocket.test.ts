import { createWebSocketClientTransport, createWebSocketServer } from '@tidings/websocket';
import { createReferenceServer } from '../../src/reference/createReferenceServer.js';
import { connectChaosClient } from '../../src/scenarios/chaosClient.js';
import { cutPendingCalls, PROGRESS_EVENT_MIN_BYTES } from '../../src/scenarios/chaosCut.js';
import { startCutProxy } from '../../src/scenarios/chaosProxy.js';
import { runChaos, type ChaosCell, type ChaosContext } from '../../src/scenarios/chaosRun.js';

/** Cuts a WebSocket (the client has no reconnect policy) at a seeded byte mid-call, twice per era. */
async function run(ctx: ChaosContext): Promise<void> {
  const server = createReferenceServer();
  const ws = await createWebSocketServer({ server, port: 0 });
  ctx.onCleanup(async () => {
    await ws.close();
    await server.close();
  });
  // Every connection is one upgraded socket: count all of it after the 101 head.
  const proxy = await startCutProxy({ target: ws.url, cuttable: (head) => head.startsWith('HTTP/1.1 101') });
  ctx.onCleanup(() => proxy.close());
  await cutPendingCalls(
    {
      client: () => connectChaosClient(createWebSocketClientTransport(proxy.url), ctx.era, ctx.onCleanup),
      armCut(_target, events, random) {
        const cut = { at: random.int(1, events * PROGRESS_EVENT_MIN_BYTES), mode: random.pick(['reset', 'end'] as const) };
        return { where: `byte ${cut.at} of the socket (${cut.mode})`, onProgress() {}, done: proxy.arm([cut]) };
      },
      afterCut: 'reject',
      serverSurvives: true,
    },
    ctx.random,
    2,
  );
}

const notResumable = 'a WebSocket is one connection with no resumable stream: a cut ends it (chaos-cut-pending-call)';
runChaos('websocket', [
  ...(['legacy', 'modern'] as const).map((era): ChaosCell => ({ scenario: 'chaos-cut-pending-call', era, run })),
  { scenario: 'chaos-resume-request-stream', era: 'legacy', notApplicable: notResumable },
  { scenario: 'chaos-resume-get-stream', era: 'legacy', notApplicable: notResumable },
  { scenario: 'chaos-cut-listen-stream', era: 'modern', notApplicable: 'the listen subscription shares the one socket: a cut ends the connection (chaos-cut-pending-call)' },
]);
