import type { Transport } from '@tidings/protocol';
import { createStdioClientTransport } from '@tidings/stdio';
import type { ConnectContext } from '../../src/index.js';
import { bundledScript, childEnv } from './childScripts.js';

/**
 * The Tidings stdio client transport to an SDK fixture server (../fixtures,
 * bundled by the project's globalSetup, run with `--transport stdio`) in a
 * child process of its own, stopped by the scenario's cleanup.
 */
export function spawnFixture(fixture: 'sdkV1Server' | 'sdkV2Server', { onCleanup }: ConnectContext): Transport {
  const transport = createStdioClientTransport({
    command: process.execPath,
    args: [bundledScript(fixture), '--transport', 'stdio'],
    env: childEnv,
    stderr: 'ignore',
  });
  onCleanup(() => transport.close());
  return transport;
}
