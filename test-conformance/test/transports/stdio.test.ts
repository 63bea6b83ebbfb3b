import { fileURLToPath } from 'node:url';
import { createStdioClientTransport } from '@tidings/stdio';
import { runConformance } from '../../src/index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/stdioSuiteServer.ts', import.meta.url));

runConformance({
  name: 'stdio',
  // Each stdio client starts its own server process, so the suite's in-process server is not used.
  connect(_server, { onCleanup }) {
    const transport = createStdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', fixture],
      cwd: repoRoot,
      env: { ...process.env, TSX_TSCONFIG_PATH: `${repoRoot}tsconfig.json` },
      stderr: 'ignore',
    });
    onCleanup(() => transport.close());
    return transport;
  },
  capabilities: { multipleClients: false },
  timeoutMs: 30_000,
});
