import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as V1StdioTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as V1HttpTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { WebSocketClientTransport as V1WebSocketTransport } from '@modelcontextprotocol/sdk/client/websocket.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { Client as V2Client, StreamableHTTPClientTransport as V2HttpTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport as V2StdioTransport } from '@modelcontextprotocol/client/stdio';
import { createClient, type Transport } from '@tidings/protocol';
import { createStdioClientTransport } from '@tidings/stdio';
import { createStreamableHttpClientTransport } from '@tidings/streamable-http';
import { createWebSocketClientTransport } from '@tidings/websocket';
import { ensureExited, trackPid } from '../lib/child.js';
import { benchFile, childEnv, repoRoot, tsxArgs } from '../lib/paths.js';
import { BURST_TOOL, type BurstArgs } from '../servers/burstTool.js';

/** Transports the throughput cases run on. */
export type WireName = 'stdio' | 'http' | 'ws';

/** An MCP client of some implementation, reduced to what the cases need. */
export interface BurstClient {
  /** Calls the `burst` tool; `onProgress` gets each progress value the library delivers. Resolves with the result. */
  callBurst(args: BurstArgs, onProgress: (progress: number) => void): Promise<void>;
  close(): Promise<void>;
}

/** Where the client connects: a URL for http/ws, the server impl for stdio (the client spawns it). */
export interface Target {
  readonly wire: WireName;
  readonly url?: string;
  /** Server implementation to spawn for stdio. */
  readonly serverImpl?: string;
}

const NO_TIMEOUT = 120_000;

function stdioServerCommand(serverImpl: string): { command: string; args: string[]; env: Record<string, string>; cwd: string } {
  const env = Object.fromEntries(Object.entries(childEnv()).filter((e): e is [string, string] => e[1] !== undefined));
  return {
    command: process.execPath,
    args: tsxArgs(benchFile('servers/progressServer.ts'), ['--impl', serverImpl, '--transport', 'stdio']),
    env,
    cwd: repoRoot,
  };
}

/** A Tidings client (`era`: 'auto' negotiates the modern era with a Tidings server; 'legacy' forces initialize). */
export async function openTidingsClient(target: Target, era: 'auto' | 'legacy'): Promise<BurstClient> {
  let transport: Transport;
  let pid: () => number | undefined = () => undefined;
  if (target.wire === 'stdio') {
    const stdio = createStdioClientTransport({ ...stdioServerCommand(target.serverImpl ?? 'tidings'), stderr: 'inherit' });
    transport = stdio;
    pid = () => stdio.pid;
  } else if (target.wire === 'http') transport = createStreamableHttpClientTransport(target.url!);
  else transport = createWebSocketClientTransport(target.url!);
  const client = createClient({ name: 'bench-tidings-client', version: '1.0.0' }, { era });
  await client.connect(transport);
  trackPid(pid());
  return {
    async callBurst(args, onProgress) {
      await client.callTool(BURST_TOOL, { ...args }, { onProgress: (p) => onProgress(p.progress), timeout: NO_TIMEOUT });
    },
    async close() {
      const child = pid();
      await client.close();
      await ensureExited(child);
    },
  };
}

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
        timeout: NO_TIMEOUT,
      });
    },
    async close() {
      const child = pid();
      await client.close();
      await ensureExited(child);
    },
  };
}

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
      await client.callTool({ name: BURST_TOOL, arguments: { ...args } }, { onprogress: (p) => onProgress(p.progress), timeout: NO_TIMEOUT });
    },
    async close() {
      const child = pid();
      await client.close();
      await ensureExited(child);
    },
  };
}
