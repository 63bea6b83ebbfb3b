/**
 * A Tidings client for the example server: negotiates the era (pass
 * `--legacy` or `--modern` to pin one), watches progress, list changes and a
 * resource, then exits. Run after the server: `pnpm --filter
 * @tidings/example-streamable-http client`.
 */
import { createClient } from '@tidings/protocol';
import { createStreamableHttpClientTransport } from '@tidings/streamable-http';

const url = process.env.MCP_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}/mcp`;
const era = process.argv.includes('--legacy') ? 'legacy' : process.argv.includes('--modern') ? 'modern' : 'auto';

const client = createClient({ name: 'example-client', version: '1.0.0' }, { era });
client.on('notifications/tools/list_changed', () => console.log('tools changed'));
client.on('notifications/resources/updated', ({ uri }) => console.log(`updated ${uri}`));
client.on('notifications/message', ({ level, data }) => console.log(`[${level}] ${String(data)}`));

await client.connect(createStreamableHttpClientTransport(url));
console.log(`connected to ${client.serverInfo?.name} (${client.era}, ${client.protocolVersion})`);
await client.setLogLevel('info');
await client.subscribe('example://clock');

const result = await client.callTool('long_running_task', { task_name: 'demo', steps: 5 }, {
  onProgress: ({ progress, total, message }) => console.log(`progress ${progress}/${total ?? '?'} ${message ?? ''}`),
});
console.log(result.content);

await new Promise((resolve) => setTimeout(resolve, 2500));
await client.close();
