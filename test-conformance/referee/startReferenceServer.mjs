import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { endChild, startChild } from './childProcesses.mjs';

/** The reference server must be listening within this. */
const START_TIMEOUT_MS = 60_000;

/**
 * Starts the reference server on Streamable HTTP (this Node, through tsx) and
 * resolves with its URL once it printed `listening <url>`. Its stdout and
 * stderr go to `logFile`. Rejects, ending the child, when it exits or stays
 * silent for a minute.
 * @param {string} repo the repository root
 * @param {string} logFile
 * @param {'node' | 'fetch' | 'cluster'} runtime the binding the endpoint is served through, or `cluster`:
 *   three nodes on a real Redis behind a balancer without stickiness (serveCluster.ts)
 * @returns {Promise<{ url: string, child: import('node:child_process').ChildProcess }>}
 */
export function startReferenceServer(repo, logFile, runtime = 'node') {
  mkdirSync(dirname(logFile), { recursive: true });
  const child = startChild(
    process.execPath,
    runtime === 'cluster'
      ? ['--import', 'tsx', join(repo, 'test-conformance/referee/serveCluster.ts')]
      : ['--import', 'tsx', join(repo, 'test-conformance/src/reference/cli.ts'), '--transport', 'streamable-http', '--port', '0', '--runtime', runtime],
    { cwd: repo, env: { ...process.env, TSX_TSCONFIG_PATH: join(repo, 'tsconfig.json') }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log = createWriteStream(logFile);
  log.on('error', (error) => process.stderr.write(`cannot write ${logFile}: ${error.message}\n`));
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  child.once('exit', () => log.end());

  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (/** @type {string} */ why) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void endChild(child).finally(() => reject(new Error(`the reference server did not start: ${why} (log: ${logFile})`)));
    };
    const timer = setTimeout(() => fail(`no "listening" line within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code, signal) => fail(`it exited (${code ?? signal})`));
    // Not closed after the match: closing would pause stderr, and a child whose stderr is not read blocks.
    createInterface({ input: /** @type {import('node:stream').Readable} */ (child.stderr) }).on('line', (line) => {
      const match = /^listening (\S+)$/.exec(line);
      if (!match || settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ url: /** @type {string} */ (match[1]), child });
    });
  });
}
