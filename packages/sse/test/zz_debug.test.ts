import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { it } from 'vitest';
import { createDemoServer } from './helpers/demoServer.js';
import { closeAll, startSse } from './helpers/harness.js';
it('debug', async () => {
  const { url } = await startSse(createDemoServer({ onDiagnostic: (d) => console.log('DIAG', d) }));
  const client = new V1Client({ name: 'sdk-v1-client', version: '1.0.0' });
  const f: typeof fetch = async (u, init) => { if (init?.method === 'POST') console.log('POST', init.body); const r = await fetch(u, init); if (init?.method !== 'POST') { const [a, b] = r.body!.tee(); (async () => { const rd = b.getReader(); for (;;) { const x = await rd.read(); if (x.done) break; console.log('SSE', new TextDecoder().decode(x.value)); } })(); return new Response(a, { status: r.status, headers: r.headers }); } return r; };
  await client.connect(new SSEClientTransport(new URL(url), { fetch: f }));
  const result = await client.callTool({ name: 'long_running_task', arguments: { task_name: 'test', steps: 2 } }, undefined, { onprogress: (p) => console.log('PROGRESS', p) });
  console.log(result);
  await client.close();
  await closeAll();
});
