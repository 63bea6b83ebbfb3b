/**
 * A stdio MCP server with the FastMCP `long_running_task` tool: per step it
 * reports progress, announces that the tool, resource and prompt lists
 * changed, and logs. It serves both protocol eras; stdout is the wire, so
 * everything human goes to stderr.
 *
 * Run it under any MCP client, e.g. `tsx src/server.ts`, or run `src/client.ts`.
 */
import { createServer, ProtocolError } from '@tidings/protocol';
import { serveStdio } from '@tidings/stdio';

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
        delay_ms: { type: 'integer', minimum: 0, default: 0 },
      },
      required: ['task_name'],
    },
  },
  async (args, ctx) => {
    const { task_name: taskName, steps = 5, delay_ms: delayMs = 0 } = args;
    if (typeof taskName !== 'string') throw new ProtocolError('InvalidParams', 'task_name must be a string');
    if (!Number.isInteger(steps) || (steps as number) < 1) throw new ProtocolError('InvalidParams', 'steps must be a positive integer');
    const total = steps as number;
    await ctx.info(`Starting: ${taskName}`);
    for (let i = 1; i <= total; i++) {
      // Coalesced by the server: a burst reaches each client as one notification per list.
      void ctx.sendPromptListChanged();
      void ctx.sendResourceListChanged();
      void ctx.sendToolListChanged();
      await ctx.reportProgress(i / total, 1, `Step ${i}/${total}`);
      await ctx.debug(`Completed step ${i}`);
      if (typeof delayMs === 'number' && delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
    return `Task '${taskName}' completed`;
  },
);
server.resource({ uri: 'example://status', name: 'status' }, () => 'all good');
server.prompt({ name: 'greeting', description: 'Say hello' }, () => 'Hello!');

console.error('[server] ready on stdio');
await serveStdio(server);
console.error('[server] stdin closed, exiting');
