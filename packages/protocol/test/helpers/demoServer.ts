import { z } from 'zod';
import { createServer, type Server } from '../../src/server/createServer.js';
import type { ServerOptions } from '../../src/server/types.js';

/**
 * The server of the FastMCP-based client documentation (seed 001), plus one
 * resource, one prompt and a watched resource, so every list kind exists.
 */
export function createDemoServer(options: ServerOptions = {}): Server {
  const server = createServer({ name: 'PrimitiveServer', version: '1.0.0' }, options);
  server.tool(
    {
      name: 'long_running_task',
      description: 'Execute a task with progress updates.',
      input: z.object({ task_name: z.string(), steps: z.number().int().positive().default(5) }),
    },
    async ({ task_name, steps }, ctx) => {
      await ctx.info(`Starting: ${task_name}`);
      for (let i = 0; i < steps; i++) {
        void ctx.sendPromptListChanged();
        void ctx.sendResourceListChanged();
        void ctx.sendToolListChanged();
        await ctx.reportProgress((i + 1) / steps, 1, `Step ${i + 1}/${steps}`);
        await ctx.debug(`Completed step ${i + 1}`);
      }
      return `Task '${task_name}' completed`;
    },
  );
  server.resource({ uri: 'test://watched', name: 'watched' }, () => 'watched content');
  server.prompt({ name: 'greeting', description: 'Say hello' }, () => 'Hello!');
  return server;
}
