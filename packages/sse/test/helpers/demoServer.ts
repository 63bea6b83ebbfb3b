import { createServer, defineNotification, type Server, type ServerOptions } from '@tidings/protocol';
import { z } from 'zod';

/** A custom notification every session may be sent. */
export const StatusUpdate = defineNotification('custom/status-update', z.object({ status: z.string() }));

/**
 * The server of the FastMCP client documentation (`long_running_task`), plus
 * a tool that logs at four levels, two resources and a prompt, so every
 * notification kind has a source.
 */
export function createDemoServer(options: ServerOptions = {}): Server {
  const server = createServer({ name: 'PrimitiveServer', version: '1.0.0' }, { listChangedDebounceMs: 1, ...options });
  server.tool(
    {
      name: 'long_running_task',
      description: 'Execute a task with progress updates.',
      input: z.object({
        task_name: z.string(),
        steps: z.number().int().positive().default(5),
        delay_ms: z.number().int().nonnegative().default(0),
      }),
    },
    async ({ task_name, steps, delay_ms }, ctx) => {
      await ctx.info(`Starting: ${task_name}`);
      for (let i = 0; i < steps; i++) {
        void ctx.sendPromptListChanged();
        void ctx.sendResourceListChanged();
        void ctx.sendToolListChanged();
        await ctx.reportProgress((i + 1) / steps, 1, `Step ${i + 1}/${steps}`);
        await ctx.debug(`Completed step ${i + 1}`);
        if (delay_ms > 0) await new Promise((resolve) => setTimeout(resolve, delay_ms));
      }
      return `Task '${task_name}' completed`;
    },
  );
  server.tool({ name: 'log_levels', description: 'Logs once at debug, info, warning and error.' }, async (_args, ctx) => {
    for (const level of ['debug', 'info', 'warning', 'error'] as const) await ctx.log(level, `a ${level} message`);
    return 'logged';
  });
  server.resource({ uri: 'test://watched', name: 'watched' }, () => 'watched content');
  server.resource({ uri: 'test://other', name: 'other' }, () => 'other content');
  server.prompt({ name: 'greeting', description: 'Say hello' }, () => 'Hello!');
  return server;
}
