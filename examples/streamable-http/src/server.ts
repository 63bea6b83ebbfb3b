/**
 * A Tidings server on Streamable HTTP, serving legacy and modern clients on
 * one endpoint. Run: `pnpm --filter @tidings/example-streamable-http serve`
 * (PORT=3000 by default), then the client in another terminal.
 */
import { createServer } from '@tidings/protocol';
import { createStreamableHttpServer } from '@tidings/streamable-http';

const server = createServer({ name: 'example-streamable-http', version: '1.0.0' });

server.tool(
  {
    name: 'long_running_task',
    description: 'Reports progress for each step, and announces a list change per step.',
    inputSchema: {
      type: 'object',
      properties: { task_name: { type: 'string' }, steps: { type: 'integer', minimum: 1 } },
      required: ['task_name'],
    },
  },
  async (args, ctx) => {
    const steps = typeof args.steps === 'number' ? args.steps : 5;
    await ctx.info(`Starting: ${String(args.task_name)}`);
    for (let i = 1; i <= steps; i++) {
      void ctx.sendToolListChanged();
      await ctx.reportProgress(i, steps, `Step ${i}/${steps}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return `Task '${String(args.task_name)}' completed`;
  },
);
server.resource({ uri: 'example://clock', name: 'clock' }, () => new Date().toISOString());

const http = await createStreamableHttpServer({ server, port: Number(process.env.PORT ?? 3000) });
console.error(`listening ${http.url}`);

// Every second the clock resource changes: subscribers hear it, in either era.
const tick = setInterval(() => void server.resourceUpdated('example://clock'), 1000);

const stop = async (): Promise<void> => {
  clearInterval(tick);
  await http.close();
  await server.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
