/**
 * Spawns `server.ts` over stdio, calls `long_running_task` and prints its
 * progress, logs and list_changed notifications, then shuts the server down
 * (stdin closed; SIGTERM, then SIGKILL, only if it lingers).
 *
 * Run: `pnpm start` (era auto, modern against this server), or
 * `tsx src/client.ts legacy` to speak the legacy era.
 */
import { fileURLToPath } from 'node:url';
import { createClient, type EraPreference } from '@tidings/protocol';
import { createStdioClientTransport } from '@tidings/stdio';

const era = (process.argv[2] ?? 'auto') as EraPreference;
const transport = createStdioClientTransport({
  command: process.execPath,
  // Run the server the way this file runs, tsx's loader flags included.
  args: [...process.execArgv, fileURLToPath(new URL('./server.ts', import.meta.url))],
  stderr: (line) => console.log(`  stderr | ${line}`),
});
const client = createClient({ name: 'stdio-example-client', version: '1.0.0' }, { era });

for (const method of [
  'notifications/tools/list_changed',
  'notifications/resources/list_changed',
  'notifications/prompts/list_changed',
] as const) {
  client.on(method, () => console.log(`  ${method}`));
}
client.on('notifications/message', ({ level, data }) => console.log(`  log ${level}: ${String(data)}`));

await client.connect(transport);
console.log(`connected to ${client.serverInfo?.name} (pid ${transport.pid}), era ${client.era}, protocol ${client.protocolVersion}`);
await client.setLogLevel('debug');
// On a modern server the client opens a listen subscription for the handlers above.
await client.listening();

const result = await client.callTool(
  'long_running_task',
  { task_name: 'demo', steps: 5, delay_ms: 100 },
  { onProgress: ({ progress, total, message }) => console.log(`  progress ${progress}/${total}: ${message}`) },
);
const [first] = result.content;
console.log(first?.type === 'text' ? first.text : JSON.stringify(result.content));

await client.close();
console.log(`server exited: ${JSON.stringify(transport.exit)}`);
