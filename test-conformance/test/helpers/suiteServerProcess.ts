import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/stdioSuiteServer.ts', import.meta.url));

/** How to start the suite's reference server as a stdio child: one process per client. */
export const suiteServerProcess = {
  command: process.execPath,
  args: ['--import', 'tsx', fixture],
  cwd: repoRoot,
  env: {
    ...Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)),
    TSX_TSCONFIG_PATH: `${repoRoot}tsconfig.json`,
  },
} as const;
