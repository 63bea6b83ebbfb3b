import { benchFile, childEnv, repoRoot, nodeArgs } from '../lib/paths.js';
import type { BurstArgs } from '../servers/burstTool.js';

/** Transports the throughput cases run on. */
export type WireName = 'stdio' | 'http' | 'ws' | 'sse';

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

/** Request timeout given to every library: far above any case, so it never decides a figure. */
export const CALL_TIMEOUT_MS = 120_000;

/** How a stdio client spawns the bench's progress server of `serverImpl`. */
export function stdioServerCommand(serverImpl: string): { command: string; args: string[]; env: Record<string, string>; cwd: string } {
  const env = Object.fromEntries(Object.entries(childEnv()).filter((e): e is [string, string] => e[1] !== undefined));
  return {
    command: process.execPath,
    args: nodeArgs(benchFile('servers/progressServer.ts'), ['--impl', serverImpl, '--transport', 'stdio']),
    env,
    cwd: repoRoot,
  };
}

/** The server a client of `client` is measured against on `wire` (its own library's, where that library has one). */
export function defaultServer(client: string, wire: WireName): string {
  if (client === 'tidings-legacy') return 'tidings';
  if (client === 'sdk-v1' && wire === 'ws') return 'tidings'; // SDK v1 has no WebSocket server.
  return client;
}

/**
 * Opens a client of `impl` (tidings, tidings-legacy, sdk-v1, sdk-v2). Each
 * library is imported only when used: loading all of them costs seconds per process.
 */
export async function openBurstClient(impl: string, target: Target): Promise<BurstClient> {
  switch (impl) {
    case 'tidings':
    case 'tidings-legacy':
      return (await import('./tidingsClient.js')).openTidingsClient(target, impl === 'tidings' ? 'auto' : 'legacy');
    case 'sdk-v1':
      return (await import('./sdkV1Client.js')).openSdkV1Client(target);
    case 'sdk-v2':
      return (await import('./sdkV2Client.js')).openSdkV2Client(target);
    default:
      throw new Error(`unknown client ${impl}`);
  }
}
