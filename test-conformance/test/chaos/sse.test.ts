import { createSseClientTransport, createSseServer } from '@tidings/sse';
import { createReferenceServer } from '../../src/reference/createReferenceServer.js';
import { connectChaosClient } from '../../src/scenarios/chaosClient.js';
import { cutPendingCalls, PROGRESS_EVENT_MIN_BYTES } from '../../src/scenarios/chaosCut.js';
import { startCutProxy } from '../../src/scenarios/chaosProxy.js';
import { runChaos } from '../../src/scenarios/chaosRun.js';

const isSse = (head: string): boolean => /\r\ncontent-type:\s*text\/event-stream/i.test(head);

runChaos('sse', [
  {
    scenario: 'chaos-cut-pending-call',
    era: 'legacy',
    // Cuts the GET stream (every server message travels on it) at a seeded byte mid-call, twice.
    async run(ctx) {
      const server = createReferenceServer();
      const sse = await createSseServer({ server, port: 0 });
      ctx.onCleanup(async () => {
        await sse.close();
        await server.close();
      });
      const proxy = await startCutProxy({ target: sse.url, cuttable: isSse, oneExchangePerConnection: true });
      ctx.onCleanup(() => proxy.close());
      await cutPendingCalls(
        {
          client: () => connectChaosClient(createSseClientTransport(proxy.url), ctx.era, ctx.onCleanup),
          armCut(_target, events, random) {
            const cut = { at: random.int(1, events * PROGRESS_EVENT_MIN_BYTES), mode: random.pick(['reset', 'end'] as const) };
            return { where: `byte ${cut.at} of the GET stream (${cut.mode})`, onProgress() {}, done: proxy.arm([cut]) };
          },
          afterCut: 'reject',
          serverSurvives: true,
        },
        ctx.random,
        2,
      );
    },
  },
  // 2024-11-05 has no event ids to resume from, and the client never reconnects (a new stream is a new session).
  { scenario: 'chaos-resume-request-stream', era: 'legacy', notApplicable: 'HTTP+SSE (2024-11-05) has no resumable stream: a cut ends the session (chaos-cut-pending-call)' },
  { scenario: 'chaos-resume-get-stream', era: 'legacy', notApplicable: 'HTTP+SSE (2024-11-05) has no resumable stream: a cut ends the session (chaos-cut-pending-call)' },
]);
