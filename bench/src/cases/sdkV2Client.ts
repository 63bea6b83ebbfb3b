import { Client as V2Client, StreamableHTTPClientTransport as V2HttpTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport as V2StdioTransport } from '@modelcontextprotocol/client/stdio';
import { ensureExited, trackPid } from '../lib/child.js';
import { BURST_TOOL } from '../servers/burstTool.js';
import { CALL_TIMEOUT_MS, stdioServerCommand, type BurstClient, type Target } from './burstClient.js';

/** An SDK v2 client: modern era (version negotiation `auto`) over HTTP, legacy over stdio (no probe sibling process). */
export async function openSdkV2Client(target: Target): Promise<BurstClient> {
  let pid: () => number | undefined = () => undefined;
  let client: V2Client;
  if (target.wire === 'stdio') {
    client = new V2Client({ name: 'bench-sdk-v2-client', version: '2.0.0' }, { capabilities: {} });
    const transport = new V2StdioTransport({ ...stdioServerCommand(target.serverImpl ?? 'sdk-v2'), stderr: 'inherit' });
    pid = () => transport.pid ?? undefined;
    await client.connect(transport);
  } else if (target.wire === 'http') {
    client = new V2Client({ name: 'bench-sdk-v2-client', version: '2.0.0' }, { capabilities: {}, versionNegotiation: { mode: 'auto' } });
    await client.connect(new V2HttpTransport(new URL(target.url!)));
  } else {
    throw new Error('SDK v2 has no WebSocket transport');
  }
  trackPid(pid());
  return {
    async callBurst(args, onProgress) {
      await client.callTool({ name: BURST_TOOL, arguments: { ...args } }, { onprogress: (p) => onProgress(p.progress), timeout: CALL_TIMEOUT_MS });
    },
    async close() {
      const child = pid();
      await client.close();
      await ensureExited(child);
    },
  };
}
