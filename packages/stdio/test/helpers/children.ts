import { fileURLToPath } from 'node:url';
import { createClient, type Client, type ClientOptions } from '@tidings/protocol';
import { createStdioClientTransport, type StdioClientTransport, type StdioClientTransportOptions } from '../../src/index.js';

/** The repository root, found from this file (never hard-coded). */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** Absolute path of a fixture under test/fixtures. */
export const fixturePath = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** How to run a TypeScript fixture: node with tsx, the repository's tsconfig for the workspace aliases. */
export function fixtureCommand(
  name: string,
  extraArgs: readonly string[] = [],
): { command: string; args: string[]; cwd: string; env: Record<string, string> } {
  return {
    command: process.execPath,
    args: ['--import', 'tsx', fixturePath(name), ...extraArgs],
    cwd: repoRoot,
    env: { ...(process.env as Record<string, string>), TSX_TSCONFIG_PATH: `${repoRoot}tsconfig.json` },
  };
}

/** A spawned fixture and what it wrote to stderr. */
export interface Child {
  readonly transport: StdioClientTransport;
  readonly stderr: string[];
}

const transports: StdioClientTransport[] = [];
const clients: Client[] = [];
const cleanups: Array<() => Promise<void>> = [];

/** A client transport running a fixture; its stderr lines are collected. Closed by `closeAll`. */
export function spawnFixture(
  name: string,
  options: Partial<StdioClientTransportOptions> = {},
  extraArgs: readonly string[] = [],
): Child {
  const stderr: string[] = [];
  const transport = createStdioClientTransport({ ...fixtureCommand(name, extraArgs), stderr: (line) => stderr.push(line), ...options });
  transports.push(transport);
  return { transport, stderr };
}

/** A Tidings client connected to a fixture over stdio. */
export async function connectFixture(
  name: string,
  options: ClientOptions = {},
  transportOptions: Partial<StdioClientTransportOptions> = {},
): Promise<Child & { client: Client }> {
  const child = spawnFixture(name, transportOptions);
  const client = createClient({ name: 'stdio-test-client', version: '1.0.0' }, options);
  clients.push(client);
  await client.connect(child.transport);
  return { ...child, client };
}

/** Registers something else to release after the test (an SDK client). */
export function onCleanup(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

/** Closes every client and transport the test opened and waits for their children to exit. */
export async function closeAll(): Promise<void> {
  await Promise.allSettled(cleanups.splice(0).map((cleanup) => cleanup()));
  await Promise.allSettled(clients.splice(0).map((client) => client.close()));
  await Promise.allSettled(transports.splice(0).map((transport) => transport.close()));
}

/** Whether a process with this id exists (signal 0 only checks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export { waitFor } from '../../../../test-support/waitFor.js';

export const ERAS = ['legacy', 'modern'] as const;
