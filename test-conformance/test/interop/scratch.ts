import { fileURLToPath } from 'node:url';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createSdkV1Driver } from '../../src/drivers/sdkV1Client.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/stdioSuiteServer.ts', import.meta.url));
const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
const t = new StdioClientTransport({ command: process.execPath, args: ['--import', 'tsx', fixture], cwd: repoRoot, env: { ...env, TSX_TSCONFIG_PATH: `${repoRoot}tsconfig.json` }, stderr: 'inherit' });
const ac = new AbortController();
const client = await createSdkV1Driver(t, { era: 'legacy', name: 'x', onSamplingRequest: (_p, ctx) => new Promise((_r, reject) => { console.log('sampling started'); setTimeout(() => ac.abort(), 10); ctx.signal.addEventListener('abort', () => { console.log('sampling aborted'); reject(ctx.signal.reason); }); }) });
const onmsg = t.onmessage!;
t.onmessage = (m) => { console.log('IN', JSON.stringify(m)); onmsg(m); };
const send = t.send.bind(t);
t.send = (m, o) => { console.log('OUT', JSON.stringify(m)); return send(m, o); };
const p = client.callTool('sample_with_heartbeat', { heartbeat_ms: 1000 }, { signal: ac.signal }).catch((e) => console.log('call rejected', e.message));


await p;
await new Promise((r) => setTimeout(r, 1500));
await client.close();
