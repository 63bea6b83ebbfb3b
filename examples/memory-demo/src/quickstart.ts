// README.md's Quick start, verbatim (test-conformance/test/readme/quickStart.test.ts checks that, and runs it).
import { createClient, createMemoryTransportPair, createServer } from '@tidings/protocol';
import { z } from 'zod';

const server = createServer({ name: 'my-server', version: '1.0.0' });
server.tool(
  { name: 'long_running_task', input: z.object({ task_name: z.string(), steps: z.number().default(5) }) },
  async ({ task_name, steps }, ctx) => {
    for (let i = 0; i < steps; i++) {
      await ctx.reportProgress((i + 1) / steps, 1, `Step ${i + 1}/${steps}`);
      await ctx.debug(`Completed step ${i + 1}`);
    }
    return `Task '${task_name}' completed`;
  },
);

// Any transport works the same way; the memory pair needs no I/O.
const [clientSide, serverSide] = createMemoryTransportPair();
server.connect(serverSide);

const client = createClient({ name: 'my-client', version: '1.0.0' }); // era: 'auto'
await client.connect(clientSide);
client.on('notifications/tools/list_changed', () => console.log('tools changed'));
const result = await client.callTool('long_running_task', { task_name: 'test' }, {
  onProgress: ({ progress, message }) => console.log(progress, message),
  timeout: 60_000, // re-armed by each progress notification
});
console.log(result.content); // [ { type: 'text', text: "Task 'test' completed" } ]

await server.broadcast('custom/status-update', { status: 'ready' }); // every live session
server.sessions(); // legacy sessions and modern listen subscriptions
