import { createStreamableHttpClientTransport, createStreamableHttpServer } from '@tidings/streamable-http';
import { createReferenceServer } from '../../src/reference/createReferenceServer.js';
import { connectChaosClient } from '../../src/scenarios/chaosClient.js';
import { cutListenStream, cutPendingCalls, PROGRESS_EVENT_MIN_BYTES, type CutPairing } from '../../src/scenarios/chaosCut.js';
import { startCutProxy, type CutProxy } from '../../src/scenarios/chaosProxy.js';
import { resumeGetStream, resumeRequestStream } from '../../src/scenarios/chaosResume.js';
import { runChaos, type ChaosContext } from '../../src/scenarios/chaosRun.js';

/** The server's SSE `retry` and the client's first delay: short, so 5 cuts fit the family's time bound. */
const RECONNECT_MS = 10;

const isSse = (head: string): boolean => /\r\ncontent-type:\s*text\/event-stream/i.test(head);

/** A reference server on Streamable HTTP behind a proxy that cuts SSE responses; clients of the test's era through it. */
async function serveThroughProxy(ctx: ChaosContext): Promise<{ proxy: CutProxy; client: CutPairing['client'] }> {
  const server = createReferenceServer();
  const http = await createStreamableHttpServer({ server, port: 0, retryMs: RECONNECT_MS });
  ctx.onCleanup(async () => {
    await http.close();
    await server.close();
  });
  const proxy = await startCutProxy({ target: http.url, cuttable: isSse, oneExchangePerConnection: true });
  ctx.onCleanup(() => proxy.close());
  const client = () =>
    connectChaosClient(
      createStreamableHttpClientTransport(proxy.url, { reconnect: { initialDelayMs: RECONNECT_MS, maxDelayMs: 20 * RECONNECT_MS } }),
      ctx.era,
      ctx.onCleanup,
    );
  return { proxy, client };
}

runChaos('streamable-http', [
  {
    scenario: 'chaos-resume-request-stream',
    era: 'legacy',
    run: async (ctx) => resumeRequestStream({ ...(await serveThroughProxy(ctx)), random: ctx.random }),
  },
  {
    scenario: 'chaos-resume-get-stream',
    era: 'legacy',
    run: async (ctx) => resumeGetStream({ ...(await serveThroughProxy(ctx)), random: ctx.random }),
  },
  {
    scenario: 'chaos-cut-pending-call',
    era: 'legacy',
    notApplicable: 'legacy Streamable HTTP streams are resumable: a cut stream is resumed (chaos-resume-request-stream, chaos-resume-get-stream)',
  },
  {
    scenario: 'chaos-cut-pending-call',
    era: 'modern',
    async run(ctx) {
      const { proxy, client } = await serveThroughProxy(ctx);
      const pairing: CutPairing = {
        client,
        armCut(_target, events, random) {
          const cut = { at: random.int(1, events * PROGRESS_EVENT_MIN_BYTES), mode: random.pick(['reset', 'end'] as const) };
          return { where: `byte ${cut.at} of the request stream (${cut.mode})`, onProgress() {}, done: proxy.arm([cut]) };
        },
        afterCut: 'reissue',
        serverSurvives: true,
      };
      await cutPendingCalls(pairing, ctx.random, 2);
    },
  },
  {
    scenario: 'chaos-resume-request-stream',
    era: 'modern',
    notApplicable: 'modern Streamable HTTP streams are not resumable: a broken request is re-issued (chaos-cut-pending-call)',
  },
  {
    scenario: 'chaos-resume-get-stream',
    era: 'modern',
    notApplicable: 'the modern era has no GET stream: server-initiated messages go on listen streams (chaos-cut-listen-stream)',
  },
  { scenario: 'chaos-cut-listen-stream', era: 'modern', run: async (ctx) => cutListenStream(await serveThroughProxy(ctx), ctx.random) },
]);
