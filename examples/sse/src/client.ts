/**
 * A Tidings client on the legacy HTTP+SSE transport. It connects with
 * `era: 'auto'` (an SSE server ends up legacy), listens for logs, list
 * changes and the server's custom status notification, runs the long task
 * with progress, then closes. Usage: `pnpm client [url]`.
 */
import { createClient, defineNotification } from '@tidings/protocol';
import { createSseClientTransport } from '@tidings/sse';
import { z } from 'zod';

const StatusUpdate = defineNotification('custom/status-update', z.object({ status: z.string() }));
const url = process.argv[2] ?? 'http://127.0.0.1:3001/sse';

const client = createClient(
  { name: 'sse-example-client', version: '1.0.0' },
  { onError: (error) => console.error(`transport: ${error.message}`) },
);
client.on('notifications/message', (p) => console.log(`log ${p.level}: ${String(p.data)}`));
client.on('notifications/tools/list_changed', () => console.log('tools/list_changed'));
client.on(StatusUpdate, (p) => console.log(`status: ${p.status}`));

const transport = createSseClientTransport(url);
await client.connect(transport);
console.log(`connected to ${client.serverInfo?.name} (${client.era} era, protocol ${client.protocolVersion}), session ${transport.sessionId}`);

await client.setLogLevel('info');
const result = await client.callTool('long_running_task', { task_name: 'example', steps: 3 }, {
  onProgress: (p) => console.log(`progress ${p.progress}/${p.total}: ${p.message}`),
});
console.log(`result: ${result.content[0]?.type === 'text' ? result.content[0].text : JSON.stringify(result)}`);
await client.close();
