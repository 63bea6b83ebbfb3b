/**
 * An MCP server over WebSocket with the FastMCP documentation's
 * `long_running_task` tool: per step it reports progress, announces that the
 * tool, resource and prompt lists changed, and logs.
 *
 *   pnpm --filter @tidings/example-websocket serve --port 8765
 *
 * Prints `listening <url>` on stderr once ready; Ctrl-C closes every
 * connection with 1001 and exits.
 */
import { createServer } from '@tidings/protocol';
import { createWebSocketServer } from '@tidings/websocket';

const server = createServer({ name: 'PrimitiveServer', version: '1.0.0' });

server.tool(
  {
    name: 'long_running_task',
    description: 'Execute a task with progress updates.',
    inputSchema: {
      type: 'object',
      properties: {
        task_name: { type: 'string' },
        steps: { type: 'integer', minimum: 1, default: 5 },
        delay_ms: { type: 'integer', minimum: 0, default: 100 },
      },
      required: ['task_name'],
    },
  },
  async (args, ctx) => {
    const taskName = String(args.task_name);
    const steps = typeof args.steps === 'number' && args.steps >= 1 ? Math.floor(args.steps) : 5;
    const delayMs = typeof args.delay_ms === 'number' && args.delay_ms >= 0 ? args.delay_ms : 100;
    await ctx.info(`Starting: ${taskName}`);
    for (let i = 0; i < steps; i++) {
      if (ctx.signal.aborted) break;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      void ctx.sendPromptListChanged();
      void ctx.sendResourceListChanged();
      void ctx.sendToolListChanged();
      await ctx.reportProgress((i + 1) / steps, 1, `Step ${i + 1}/${steps}`);
      await ctx.debug(`Completed step ${i + 1}`);
    }
    return `Task '${taskName}' completed`;
  },
);
server.resource({ uri: 'example://status', name: 'status' }, () => 'all good');
server.prompt({ name: 'greeting', description: 'Say hello' }, () => 'Hello!');

const portFlag = process.argv.indexOf('--port');
const port = portFlag === -1 ? Number(process.env.PORT ?? 0) : Number(process.argv[portFlag + 1]);

const endpoint = await createWebSocketServer({
  server,
  port,
  host: '127.0.0.1',
  onError: (error) => console.error(`connection fault: ${error.message}`),
});
console.error(`listening ${endpoint.url}`);

const stop = async (): Promise<void> => {
  await endpoint.close();
  await server.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
