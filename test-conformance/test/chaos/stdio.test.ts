import type { Transport } from '@tidings/protocol';
import { createStdioClientTransport, type StdioClientTransport } from '@tidings/stdio';
import { connectChaosClient, type ChaosClient } from '../../src/scenarios/chaosClient.js';
import { cutPendingCalls } from '../../src/scenarios/chaosCut.js';
import { runChaos, type ChaosCell, type ChaosContext } from '../../src/scenarios/chaosRun.js';
import { suiteServerProcess } from '../helpers/suiteServerProcess.js';

/**
 * Kills the server process (SIGKILL, or SIGTERM) when the client has seen a
 * seeded number of progress notifications; each client has its own process,
 * so the server does not outlive the cut and a new client starts a new one.
 */
async function run(ctx: ChaosContext): Promise<void> {
  const transports = new WeakMap<ChaosClient, StdioClientTransport>();
  await cutPendingCalls(
    {
      async client() {
        const transport = createStdioClientTransport({ ...suiteServerProcess, args: [...suiteServerProcess.args], stderr: 'ignore' });
        ctx.onCleanup(() => transport.close());
        const client = await connectChaosClient(transport as Transport, ctx.era, ctx.onCleanup);
        transports.set(client, transport);
        return client;
      },
      armCut(target, events, random) {
        const at = random.int(1, events + 1);
        const signal = random.pick(['SIGKILL', 'SIGTERM'] as const);
        let killed!: () => void;
        const done = new Promise<void>((resolve) => (killed = resolve));
        return {
          where: `progress ${at} (${signal})`,
          onProgress(count) {
            if (count !== at) return;
            process.kill(transports.get(target)!.pid!, signal);
            killed();
          },
          done,
        };
      },
      afterCut: 'reject',
      serverSurvives: false,
    },
    ctx.random,
    1,
  );
}

const notResumable = 'stdio is one pipe pair with no resumable stream: the server going away ends it (chaos-cut-pending-call)';
runChaos('stdio', [
  ...(['legacy', 'modern'] as const).map((era): ChaosCell => ({ scenario: 'chaos-cut-pending-call', era, run })),
  { scenario: 'chaos-resume-request-stream', era: 'legacy', notApplicable: notResumable },
  { scenario: 'chaos-resume-get-stream', era: 'legacy', notApplicable: notResumable },
  { scenario: 'chaos-cut-listen-stream', era: 'modern', notApplicable: 'the listen subscription shares the one pipe pair: the server going away ends the connection (chaos-cut-pending-call)' },
]);
