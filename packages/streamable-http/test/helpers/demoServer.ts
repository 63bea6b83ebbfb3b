import { z } from 'zod';
import { createServer, type Server, type ServerOptions } from '@tidings/protocol';
import { registerLongRunningTask } from '../../../../test-support/longRunningTask.js';

/**
 * The server of the FastMCP client documentation (long_running_task), plus a
 * resource, a prompt and a chatty tool, so every list kind and a long burst
 * of progress exist.
 */
export function createDemoServer(options: ServerOptions = {}): Server {
  const server = createServer({ name: 'PrimitiveServer', version: '1.0.0' }, { listChangedDebounceMs: 1, ...options });
  registerLongRunningTask(server);
  server.tool(
    {
      name: 'burst',
      description: 'Reports `count` progress notifications, pausing `pauseMs` every `every` of them.',
      input: z.object({ count: z.number().int().positive(), every: z.number().int().positive().default(1000), pauseMs: z.number().int().min(0).default(0) }),
    },
    async ({ count, every, pauseMs }, ctx) => {
      for (let i = 1; i <= count; i++) {
        await ctx.reportProgress(i, count);
        if (pauseMs > 0 && i % every === 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
      return `sent ${count}`;
    },
  );
  server.tool({ name: 'log_levels', description: 'Logs once at debug, info and warning.' }, async (_args, ctx) => {
    await ctx.debug('debug line');
    await ctx.info('info line');
    await ctx.warning('warning line');
    return 'logged';
  });
  server.tool({ name: 'needs_sampling', description: 'Asks the client to sample (needs the sampling capability).' }, async (_args, ctx) => {
    const answer = await ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 10 });
    return JSON.stringify(answer.content);
  });
  server.resource({ uri: 'test://watched', name: 'watched' }, () => 'watched content');
  server.resource({ uri: 'test://other', name: 'other' }, () => 'other content');
  server.prompt({ name: 'greeting', description: 'Say hello' }, () => 'Hello!');
  return server;
}
