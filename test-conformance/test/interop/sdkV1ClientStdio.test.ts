import { fileURLToPath } from 'node:url';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createSdkV1Driver } from '../../src/drivers/sdkV1Client.js';
import { runConformance } from '../../src/index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/stdioSuiteServer.ts', import.meta.url));
const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));

runConformance({
  name: 'sdk-v1-client/stdio',
  eras: ['legacy'],
  // Each client starts its own Tidings server process (the suite's reference server plus scenario tools).
  connectClient: (_server, _context, options) =>
    createSdkV1Driver(
      new StdioClientTransport({
        command: process.execPath,
        args: ['--import', 'tsx', fixture],
        cwd: repoRoot,
        env: { ...env, TSX_TSCONFIG_PATH: `${repoRoot}tsconfig.json` },
        stderr: 'ignore',
      }),
      options,
    ),
  capabilities: {
    multipleClients: false,
    rawText: false,
    customProgressToken: false,
    progressBeforeResponse: false,
    totalTimeoutWithoutProgress: false,
  },
  timeoutMs: 30_000,
});
