import { fileURLToPath } from 'node:url';
import { createClient } from '@tidings/protocol';
import { createStdioClientTransport } from '@tidings/stdio';
import { it } from 'vitest';
import { z } from 'zod';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/sdkV1Server.ts', import.meta.url));
it('dbg', { timeout: 20000 }, async () => {
  const transport = createStdioClientTransport({ command: process.execPath, args: ['--import', 'tsx', fixture, '--transport', 'stdio'], cwd: repoRoot, env: { ...process.env, TSX_TSCONFIG_PATH: `${repoRoot}tsconfig.json` }, stderr: 'ignore' });
  const diags: unknown[] = [];
  const client = createClient({ name: 'x', version: '1' }, { era: 'legacy', onDiagnostic: (d) => diags.push(d) });
  await client.connect(transport);
  const e1 = await client.request('tools/call', { name: 42 }, z.unknown()).catch((e) => e);
  console.log('numeric name:', e1.code, e1.rpcCode);
  console.log('unknown tool:', JSON.stringify(await client.callTool('no_such_tool', {}).catch((e) => ({ code: e.code }))));
  console.log('invalid args:', JSON.stringify(await client.callTool('long_running_task', { task_name: 'x', steps: 'many' })).slice(0, 200));
  await transport.send('{"jsonrpc": "2.0", "id": 99, "method": ');
  await new Promise((r) => setTimeout(r, 500));
  console.log('diagnostics after malformed JSON:', JSON.stringify(diags));
  console.log('after:', JSON.stringify(await client.callTool('probe_result', { probe_id: 'none' })));
  await client.close();
});
