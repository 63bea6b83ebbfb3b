/**
 * A Tidings server on the legacy HTTP+SSE transport (protocol revision
 * 2024-11-05), for clients that predate Streamable HTTP. Run it, then
 * `pnpm client` in another terminal (or point any SSE-capable MCP client at
 * the printed URL). PORT picks the port (default 3001).
 */
import { createServer, defineNotification } from '@tidings/protocol';
import { createSseServer } from '@tidings/sse';
import { z } from 'zod';

const StatusUpdate = defineNotification('custom/status-update', z.object({ status: z.string() }));

const server = createServer({ name: 'sse-example-server', version: '1.0.0' });
server.tool(
  {
    name: 'long_running_task',
    description: 'Runs a task in steps, reporting progress and logging each step.',
    input: z.object({ task_name: z.string(), steps: z.number().int().positive().default(5) }),
  },
  async ({ task_name, steps }, ctx) => {
    // Pretend the task changes the tool list, so clients see a list_changed too.
    void ctx.sendToolListChanged();
    for (let i = 0; i < steps; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await ctx.reportProgress((i + 1) / steps, 1, `Step ${i + 1}/${steps}`);
      await ctx.info(`Completed step ${i + 1}`);
    }
    return `Task '${task_name}' completed`;
  },
);
server.onSessionOpened((s) => console.log(`session ${s.id} opened by ${s.clientInfo?.name ?? 'unknown'} over ${s.transport}`));
server.onSessionClosed((s) => console.log(`session ${s.id} closed`));

const sse = await createSseServer({ server, port: Number(process.env.PORT ?? 3001) });
console.log(`listening ${sse.url}`);

// Every session hears this, whichever client it is.
const ticker = setInterval(() => {
  void server.broadcast(StatusUpdate, { status: `alive at ${new Date().toISOString()}` });
}, 5000);

process.once('SIGINT', () => {
  clearInterval(ticker);
  void sse.close().then(() => server.close()).then(() => console.log('closed'));
});
