import { fileURLToPath } from 'node:url';
import { createStdioClientTransport } from '@tidings/stdio';
import { runConformance } from '../../src/index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/sdkV1Server.ts', import.meta.url));

runConformance({
  name: 'tidings-client/sdk-v1-server-stdio',
  eras: ['legacy'],
  // Each client starts its own SDK v1 server process; the suite's in-process server is not used.
  connect(_server, { onCleanup }) {
    const transport = createStdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', fixture, '--transport', 'stdio'],
      cwd: repoRoot,
      env: { ...process.env, TSX_TSCONFIG_PATH: `${repoRoot}tsconfig.json` },
      stderr: 'ignore',
    });
    onCleanup(() => transport.close());
    return transport;
  },
  // SDK v1 servers answer invalid params with −32603, an unknown tool with an isError result, and send no −32700 on stdio.
  capabilities: { multipleClients: false, referenceServer: false, specErrors: false },
  timeoutMs: 30_000,
});
