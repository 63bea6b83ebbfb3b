import { createClient, type Transport } from '@tidings/protocol';
import { ensureExited, trackPid } from '../lib/child.js';
import { BURST_TOOL } from '../servers/burstTool.js';
import { CALL_TIMEOUT_MS, stdioServerCommand, type BurstClient, type Target } from './burstClient.js';

/** A Tidings client (`era`: 'auto' negotiates the modern era with a Tidings server; 'legacy' forces initialize). */
export async function openTidingsClient(target: Target, era: 'auto' | 'legacy'): Promise<BurstClient> {
  let transport: Transport;
  let pid: () => number | undefined = () => undefined;
  // One adapter imported per case: loading modules is seconds of a short case.
  if (target.wire === 'stdio') {
    const { createStdioClientTransport } = await import('@tidings/stdio');
    const stdio = createStdioClientTransport({ ...stdioServerCommand(target.serverImpl ?? 'tidings'), stderr: 'inherit' });
    transport = stdio;
    pid = () => stdio.pid;
  } else if (target.wire === 'http') {
    transport = (await import('@tidings/streamable-http')).createStreamableHttpClientTransport(target.url!);
  } else if (target.wire === 'sse') {
    transport = (await import('@tidings/sse')).createSseClientTransport(target.url!);
  } else {
    transport = (await import('@tidings/websocket')).createWebSocketClientTransport(target.url!);
  }
  const client = createClient({ name: 'bench-tidings-client', version: '1.0.0' }, { era });
  await client.connect(transport);
  trackPid(pid());
  return {
    async callBurst(args, onProgress) {
      await client.callTool(BURST_TOOL, { ...args }, { onProgress: (p) => onProgress(p.progress), timeout: CALL_TIMEOUT_MS });
    },
    async close() {
      const child = pid();
      await client.close();
      await ensureExited(child);
    },
  };
}

