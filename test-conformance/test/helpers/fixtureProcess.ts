import { fileURLToPath } from 'node:url';
import type { Transport } from '@tidings/protocol';
import { createStdioClientTransport } from '@tidings/stdio';
import type { ConnectContext } from '../../src/index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The Tidings stdio client transport to an SDK fixture server (a TypeScript
 * file in ../fixtures run with `--transport stdio`) in a child process of its
 * own, stopped by the scenario's cleanup.
 */
export function spawnFixture(fixture: string, { onCleanup }: ConnectContext): Transport {
  const transport = createStdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', fileURLToPath(new URL(`../fixtures/${fixture}`, import.meta.url)), '--transport', 'stdio'],
    cwd: repoRoot,
    env: { ...process.env, TSX_TSCONFIG_PATH: `${repoRoot}tsconfig.json` },
    stderr: 'ignore',
  });
  onCleanup(() => transport.close());
  return transport;
}
