import { createServer, type Server } from '@tidings/protocol';
import { BURST_TOOL, BurstArgsSchema, runBurst, type SendHook } from './burstTool.js';

/** A Tidings server with the `burst` tool; `hook` sees each progress value just before it is sent. */
export function createTidingsBurstServer(hook?: SendHook): Server {
  const server = createServer({ name: 'bench-tidings', version: '1.0.0' }, { onDiagnostic: () => {} });
  server.tool({ name: BURST_TOOL, input: BurstArgsSchema }, async (args, ctx) => {
    await runBurst(args, (progress, total) => ctx.reportProgress(progress, total), hook);
    return `sent ${args.n}`;
  });
  return server;
}
