/**
 * Tidings in one process: a server with a long-running tool, and two clients
 * — one legacy (initialize handshake), one modern (stateless requests with a
 * listen subscription) — over in-memory transports. Every line printed is a
 * message that really crossed a transport.
 */
import { createClient, createMemoryTransportPair, createServer, defineNotification } from '@tidings/protocol';
import { z } from 'zod';

const StatusUpdate = defineNotification('custom/status-update', z.object({ status: z.string() }));

const server = createServer({ name: 'demo-server', version: '1.0.0' });
server.tool(
  {
    name: 'long_running_task',
    description: 'Runs a task in steps, reporting progress and changing the lists each step.',
    input: z.object({ task_name: z.string(), steps: z.number().int().positive().default(5) }),
  },
  async ({ task_name, steps }, ctx) => {
    for (let i = 0; i < steps; i++) {
      void ctx.sendToolListChanged();
      void ctx.sendResourceListChanged();
      void ctx.sendPromptListChanged();
      await ctx.reportProgress((i + 1) / steps, 1, `Step ${i + 1}/${steps}`);
      await ctx.debug(`Completed step ${i + 1}`);
    }
    return `Task '${task_name}' completed`;
  },
);
server.tool({ name: 'greet_user', description: 'Asks the user for a name, then greets them.' }, async (_args, ctx) => {
  // Legacy: a request to the client. Modern: an input round (the client answers and retries).
  const answer = await ctx.elicit({ message: 'Your name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } });
  return `Hello, ${String(answer.content?.name)}!`;
});
server.resource({ uri: 'demo://status', name: 'status' }, () => 'all good');
server.prompt({ name: 'greet' }, () => 'Hello!');
server.onSessionOpened((s) => console.log(`server: ${s.era} ${s.kind} opened (${s.clientInfo?.name})`));

for (const era of ['legacy', 'modern'] as const) {
  const [clientSide, serverSide] = createMemoryTransportPair();
  server.connect(serverSide);
  const client = createClient(
    { name: `${era}-client`, version: '1.0.0' },
    {
      era,
      onElicitationRequest: (params) => {
        console.log(`  [${era}] the server asks: ${params.message}`);
        return { action: 'accept', content: { name: `${era} user` } };
      },
    },
  );
  await client.connect(clientSide);
  console.log(`\n${era} client connected, protocol ${client.protocolVersion}`);
  for (const kind of ['tools', 'resources', 'prompts'] as const) {
    client.on(`notifications/${kind}/list_changed`, () => console.log(`  [${era}] ${kind}/list_changed`));
  }
  client.on('notifications/message', (p) => console.log(`  [${era}] log ${p.level}: ${String(p.data)}`));
  client.on(StatusUpdate, (p) => console.log(`  [${era}] custom/status-update: ${p.status}`));
  await client.setLogLevel('debug');
  await client.listening();
  const result = await client.callTool('long_running_task', { task_name: `${era}-demo`, steps: 3 }, {
    onProgress: (p) => console.log(`  [${era}] progress ${p.progress}/${p.total}: ${p.message}`),
  });
  console.log(`  [${era}] result: ${result.content[0]?.type === 'text' ? result.content[0].text : ''}`);
  const greeting = await client.callTool('greet_user');
  console.log(`  [${era}] greet_user: ${greeting.content[0]?.type === 'text' ? greeting.content[0].text : ''}`);
}

await new Promise((resolve) => setTimeout(resolve, 20));
const reached = await server.broadcast(StatusUpdate, { status: 'ready' });
await new Promise((resolve) => setTimeout(resolve, 20));
console.log(`\nbroadcast reached ${reached} of ${server.sessions().length} sessions`);
await server.close();
console.log('server closed');
