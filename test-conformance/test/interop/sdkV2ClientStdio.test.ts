import { fileURLToPath } from 'node:url';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { createSdkV2Driver } from '../../src/drivers/sdkV2Client.js';
import { runConformance } from '../../src/index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/stdioSuiteServer.ts', import.meta.url));
const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));

runConformance({
  name: 'sdk-v2-client/stdio',
  // Each client starts its own Tidings server process (the suite's reference server plus scenario tools).
  connectClient: (_server, _context, options) =>
    createSdkV2Driver(
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
