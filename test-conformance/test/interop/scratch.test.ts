import { fileURLToPath } from 'node:url';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createSdkV1Driver } from '../../src/drivers/sdkV1Client.js';
import { runConformance, scenarios } from '../../src/index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/stdioSuiteServer.ts', import.meta.url));
const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
runConformance({ name: 'dbg', eras: ['legacy'], connectClient: async (_s, _c, options) => {
const t = new StdioClientTransport({ command: process.execPath, args: ['--import', 'tsx', fixture], cwd: repoRoot, env: { ...env, TSX_TSCONFIG_PATH: `${repoRoot}tsconfig.json` }, stderr: 'inherit' });
const client = await createSdkV1Driver(t, options);
const onmsg = t.onmessage!;
t.onmessage = (m) => { console.log('IN', JSON.stringify(m)); onmsg(m); };
const send = t.send.bind(t);
t.send = (m, o) => { console.log('OUT', JSON.stringify(m)); return send(m, o); };
return client;
}}, scenarios.filter((s) => s.id === 'cancellation-server-to-client'));
