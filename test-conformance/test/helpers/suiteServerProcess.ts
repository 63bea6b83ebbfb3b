import { bundledScript, childEnv } from './childScripts.js';

/** How to start the suite's reference server as a stdio child: one process per client. */
export const suiteServerProcess = {
  command: process.execPath,
  args: [bundledScript('stdioSuiteServer')],
  env: childEnv,
} as const;
