/**
 * Runs every benchmark case, one process per case (fresh JIT and heap, killed
 * by PID past its time limit), and prints one table per benchmark with the
 * absolute figures and the ratios Tidings / raw and Tidings / SDK, then the
 * issue-15 summary (every transport and era against raw).
 *
 *   node --import tsx bench/src/run.ts [--quick] [--only stdio,http,ws,sse,latency,broadcast,heap,cluster] [--no-10k] [--runner plain|tsx] [--json file]
 *
 * --json f    also writes every table's rows and ratios, and the summary, to file f
 * --quick     small counts, to check that everything works (figures meaningless)
 * cluster     issue 16's tables (4 nodes on a real redis-server), full runs only: --quick skips them
 * --no-10k    skips the broadcast to 10,000 sessions (about 40 s of the run; never in --quick)
 * --runner    how the measured processes run TypeScript: `plain` (default; esbuild without
 *             keepNames, the code tsup ships) or `tsx` (keepNames inflates Tidings' heap and
 *             closure costs; see loader/hooks.mjs)
 */
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildGroups, type CaseSpec } from './groups.js';
import { arg, parseArgs } from './lib/args.js';
import { benchFile, childEnv, nodeArgs, repoRoot, runner } from './lib/paths.js';
import { mergePasses } from './lib/passes.js';
import { parseResult } from './lib/result.js';
import { printSummary, printTable, summarise, toTable, type Outcome, type Table } from './report.js';

const options = parseArgs();
process.env.TIDINGS_BENCH_RUNNER = arg(options, 'runner', 'plain') === 'tsx' ? 'tsx' : 'plain';
const quick = options.has('quick');
const only = new Set(arg(options, 'only', 'stdio,http,ws,sse,latency,broadcast,heap,cluster').split(','));
const CASE_LIMIT_MS = Number(arg(options, 'case-timeout', '30000'));

/** Open-file limit of the processes we start (they inherit ours); 10,000 sessions need ~10,100 descriptors in each. */
function fdLimit(): number {
  try {
    const out = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    return out === 'unlimited' ? Number.POSITIVE_INFINITY : Number(out);
  } catch {
    return 0;
  }
}
const TEN_K_FDS = 10_500;
const tenK = !quick && !options.has('no-10k') && fdLimit() >= TEN_K_FDS;
const groups = buildGroups({ quick, tenK, cluster: !quick });

function runOne(spec: CaseSpec): Promise<Outcome> {
  const started = performance.now();
  const limitMs = Math.max(CASE_LIMIT_MS, spec.limitMs ?? 0);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, nodeArgs(benchFile(spec.script), spec.args, spec.nodeFlags ?? []), {
      cwd: repoRoot,
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // A case past its limit is ended by its PID; its own exit handler ends the servers it started.
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
      setTimeout(() => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 2000).unref();
    }, limitMs);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      const result = parseResult(stdout);
      if (result) resolve({ spec, result, wallMs });
      else {
        const why = signal ? `killed (${signal}) after ${Math.round(wallMs)} ms` : `exit ${code}`;
        const tail = stderr.trim().split('\n').slice(-3).join(' | ');
        resolve({ spec, error: `${why}${tail ? `: ${tail}` : ''}`, wallMs });
      }
    });
  });
}

const startedAt = performance.now();
console.log(
  `Tidings benchmarks — node ${process.version}, ${quick ? 'QUICK (small counts, figures meaningless)' : 'full'} run, ` +
    `TypeScript run ${runner() === 'tsx' ? 'with tsx (keepNames: inflates Tidings figures)' : 'as shipped (esbuild, no keepNames)'}`,
);
if (!quick && !options.has('no-10k') && !tenK) {
  console.log(`(broadcast to 10,000 sessions skipped: the open-file limit ${fdLimit()} is under ${TEN_K_FDS}; the bench does not raise it)`);
}
const tables: Table[] = [];
for (const group of groups) {
  if (!only.has(group.id)) continue;
  // Several passes run the cases in turn (raw, Tidings, SDKs, raw, …): a noisy minute hits all rows alike.
  const passes = group.passes ?? 1;
  const runs: Outcome[][] = group.cases.map(() => []);
  for (let pass = 0; pass < passes; pass++) {
    for (const [i, spec] of group.cases.entries()) {
      const outcome = await runOne(spec);
      const which = passes > 1 ? ` (pass ${pass + 1}/${passes})` : '';
      process.stderr.write(`  [${group.id}] ${spec.label}${which}: ${outcome.result ? 'ok' : 'FAILED'} in ${(outcome.wallMs / 1000).toFixed(1)} s\n`);
      runs[i]!.push(outcome);
    }
  }
  const table = toTable(group, runs.map(mergePasses));
  printTable(group, table);
  tables.push(table);
}
const summary = summarise(tables);
printSummary(summary);
const totalSeconds = (performance.now() - startedAt) / 1000;
const jsonFile = options.get('json');
if (jsonFile !== undefined) {
  // Relative to where the command was typed (pnpm --filter runs us inside bench/, INIT_CWD is the caller's).
  const path = resolve(process.env.INIT_CWD ?? process.cwd(), jsonFile);
  const run = { node: process.version, runner: runner(), quick, date: new Date().toISOString(), totalSeconds, tables, summary };
  writeFileSync(path, `${JSON.stringify(run, null, 2)}\n`);
  console.log(`\nJSON: ${path}`);
}
console.log(`\nTotal ${totalSeconds.toFixed(0)} s. Figures are from one run on a shared machine: compare rows of the same table, not across runs.`);
