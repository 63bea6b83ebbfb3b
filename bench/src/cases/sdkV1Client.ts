import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as V1StdioTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as V1HttpTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { WebSocketClientTransport as V1WebSocketTransport } from '@modelcontextprotocol/sdk/client/websocket.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { ensureExited, trackPid } from '../lib/child.js';
import { BURST_TOOL } from '../servers/burstTool.js';
import { CALL_TIMEOUT_MS, stdioServerCommand, type BurstClient, type Target } from './burstClient.js';

/** An SDK v1 client (legacy era). Its WebSocket transport needs a global WebSocket (`--experimental-websocket` on Node 20). */
export async function openSdkV1Client(target: Target): Promise<BurstClient> {
  const client = new V1Client({ name: 'bench-sdk-v1-client', version: '1.0.0' }, { capabilities: {} });
  let pid: () => number | undefined = () => undefined;
  if (target.wire === 'stdio') {
    const transport = new V1StdioTransport({ ...stdioServerCommand(target.serverImpl ?? 'sdk-v1'), stderr: 'inherit' });
    pid = () => transport.pid ?? undefined;
    await client.connect(transport);
  } else if (target.wire === 'http') {
    await client.connect(new V1HttpTransport(new URL(target.url!)));
  } else if (target.wire === 'sse') {
    const { SSEClientTransport } = await import('@modelcontextprotocol/sdk/client/sse.js');
    await client.connect(new SSEClientTransport(new URL(target.url!)));
  } else {
    if (typeof (globalThis as { WebSocket?: unknown }).WebSocket !== 'function') {
      throw new Error('SDK v1 WebSocketClientTransport needs a global WebSocket: run with --experimental-websocket');
    }
    await client.connect(new V1WebSocketTransport(new URL(target.url!)));
  }
  trackPid(pid());
  return {
    async callBurst(args, onProgress) {
      await client.callTool({ name: BURST_TOOL, arguments: { ...args } }, CallToolResultSchema, {
        onprogress: (p) => onProgress(p.progress),
        timeout: CALL_TIMEOUT_MS,
      });
    },
    async close() {
      const child = pid();
      await client.close();
      await ensureExited(child);
    },
  };
}

