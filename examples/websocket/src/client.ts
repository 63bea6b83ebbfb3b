/**
 * Connects to the example server, prints each list_changed notification and
 * the progress of `long_running_task`, then the result.
 *
 *   pnpm --filter @tidings/example-websocket client -- ws://127.0.0.1:8765/ [auto|legacy|modern]
 */
import { createClient, type EraPreference } from '@tidings/protocol';
import { createWebSocketClientTransport } from '@tidings/websocket';

const args = process.argv.slice(2).filter((arg) => arg !== '--');
const url = args[0] ?? process.env.MCP_URL ?? 'ws://127.0.0.1:8765/';
const era = (args[1] ?? 'auto') as EraPreference;

const client = createClient({ name: 'websocket-example-client', version: '1.0.0' }, { era });
client.on('notifications/tools/list_changed', () => console.log('list_changed: tools'));
client.on('notifications/resources/list_changed', () => console.log('list_changed: resources'));
client.on('notifications/prompts/list_changed', () => console.log('list_changed: prompts'));
client.on('notifications/message', ({ level, data }) => console.log(`log [${level}]: ${String(data)}`));

await client.connect(createWebSocketClientTransport(url));
await client.setLogLevel('debug');
await client.listening();
console.log(`connected to ${url} (${client.era} era, protocol ${client.protocolVersion})`);

const result = await client.callTool(
  'long_running_task',
  { task_name: 'example', steps: 5 },
  { onProgress: ({ progress, total, message }) => console.log(`progress ${progress}/${total ?? '?'}: ${message ?? ''}`) },
);
for (const block of result.content) if (block.type === 'text') console.log(`result: ${block.text}`);

// Let the last coalesced list_changed arrive before leaving.
await new Promise((resolve) => setTimeout(resolve, 50));
await client.close();
