/**
 * Runs every benchmark case, one process per case (fresh JIT and heap, killed
 * by PID past its time limit), and prints one table per benchmark with the
 * absolute figures and the ratios Tidings / raw and Tidings / SDK.
 *
 *   node --import tsx bench/src/run.ts [--quick] [--only stdio,http,ws,sse,latency,broadcast,heap] [--no-10k] [--runner plain|tsx]
 *
 * --quick     small counts, to check that everything works (figures meaningless)
 * --no-10k    skips the broadcast to 10,000 sessions (about 40 s of the run; never in --quick)
 * --runner    how the measured processes run TypeScript: `plain` (default; esbuild without
 *             keepNames, the code tsup ships) or `tsx` (keepNames inflates Tidings' heap and
 *             closure costs; see loader/hooks.mjs)
 */
import { execFileSync, spawn } from 'node:child_process';
import { arg, parseArgs } from './lib/args.js';
import { columns, fmt, ratio } from './lib/format.js';
import { benchFile, childEnv, nodeArgs, repoRoot, runner } from './lib/paths.js';
import { parseResult, type CaseResult } from './lib/result.js';

interface Column {
  readonly metric: string;
  readonly title: string;
  /** Suffix of its ratio columns when a group has several ratio metrics. */
  readonly short?: string;
}

interface CaseSpec {
  readonly impl: string;
  readonly label: string;
  readonly script: string;
  readonly args: readonly string[];
  readonly nodeFlags?: readonly string[];
}

interface Group {
  readonly id: string;
  readonly title: string;
  /** What the ratio means for this group. */
  readonly ratioNote: string;
  readonly columns: readonly Column[];
  /** Metrics that get Tidings / raw and Tidings / SDK ratios. */
  readonly ratioMetrics: readonly string[];
  readonly cases: readonly CaseSpec[];
  readonly footnotes?: readonly string[];
}

const options = parseArgs();
process.env.TIDINGS_BENCH_RUNNER = arg(options, 'runner', 'plain') === 'tsx' ? 'tsx' : 'plain';
const quick = options.has('quick');
const only = new Set(arg(options, 'only', 'stdio,http,ws,sse,latency,broadcast,heap').split(','));
const CASE_LIMIT_MS = Number(arg(options, 'case-timeout', '30000'));

const N = quick ? 2000 : 20_000;

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
const SESSIONS = quick ? 100 : 1000;

const LABELS: Readonly<Record<string, string>> = {
  raw: 'raw baseline',
  tidings: 'Tidings (modern era)',
  'tidings-legacy': 'Tidings (legacy era)',
  'sdk-v1': 'SDK v1 1.32',
  'sdk-v2': 'SDK v2 2.4',
};

function throughputGroup(id: string, wire: 'stdio' | 'http' | 'ws' | 'sse', title: string, impls: readonly string[], footnotes: readonly string[] = []): Group {
  return {
    id,
    title,
    ratioNote: 'ratio of notifications/s: higher is better',
    columns: [
      { metric: 'rate', title: 'notif/s' },
      { metric: 'elapsedMs', title: 'ms' },
      { metric: 'lost', title: 'lost' },
      { metric: 'late', title: 'late' },
    ],
    ratioMetrics: ['rate'],
    cases: impls.map((impl) => ({
      impl,
      label: impl === 'sdk-v1' && wire === 'ws' ? 'SDK v1 client → Tidings server' : LABELS[impl]!,
      script: 'cases/throughput.ts',
      args: ['--client', impl, '--wire', wire, '--n', String(N)],
      ...(impl === 'sdk-v1' && wire === 'ws' ? { nodeFlags: ['--experimental-websocket'] } : {}),
    })),
    footnotes,
  };
}

const sessionLabels: Readonly<Record<string, string>> = {
  raw: 'raw node:http SSE',
  tidings: 'Tidings legacy session (GET stream)',
  'tidings-modern': 'Tidings modern listen stream',
  'tidings-sse': 'Tidings HTTP+SSE session',
  'sdk-v1': 'SDK v1 session (GET stream)',
  'sdk-v2': 'SDK v2 listen stream',
};

function sessionCases(mode: 'broadcast' | 'heap', impls: readonly string[], count: number): CaseSpec[] {
  return impls.map((impl) => ({
    impl,
    label: sessionLabels[impl]!,
    script: 'cases/sessions.ts',
    args: ['--impl', impl, '--mode', mode, '--sessions', String(count)],
  }));
}

function broadcastGroup(id: string, title: string, count: number, footnotes: readonly string[]): Group {
  return {
    id,
    title,
    ratioNote: 'ratio of time until every session got it: lower is better',
    columns: [
      { metric: 'allReceivedMs', title: 'all got it ms (p50)' },
      { metric: 'bestMs', title: 'best ms' },
      { metric: 'serverCallMs', title: 'server call ms' },
      { metric: 'openMs', title: 'opening took ms' },
    ],
    ratioMetrics: ['allReceivedMs'],
    cases: sessionCases('broadcast', ['raw', 'tidings', 'tidings-modern'], count),
    footnotes,
  };
}

const groups: Group[] = [
  throughputGroup('stdio', 'stdio', `1. Progress throughput, stdio (N = ${N.toLocaleString('en-US')})`, ['raw', 'tidings', 'tidings-legacy', 'sdk-v1', 'sdk-v2'], [
    'raw: a child writes the same N JSON lines to stdout (one write each, honouring drain); the parent splits lines and JSON.parses them.',
    'SDK v2 client on stdio uses its default legacy era (its `auto` mode spawns an extra probe process).',
  ]),
  throughputGroup('http', 'http', `2a. Progress throughput, Streamable HTTP (N = ${N.toLocaleString('en-US')})`, ['raw', 'tidings', 'tidings-legacy', 'sdk-v1', 'sdk-v2'], [
    'raw: node:http answers the POST with an SSE stream of the same events; the client reads it with fetch and parses each data line.',
    'SDK v2 server: createMcpHandler (modern era) behind a minimal node:http↔fetch bridge (@modelcontextprotocol/node is not installed).',
  ]),
  throughputGroup('ws', 'ws', `2b. Progress throughput, WebSocket (N = ${N.toLocaleString('en-US')})`, ['raw', 'tidings', 'tidings-legacy', 'sdk-v1'], [
    'raw: `ws` server and client, one text frame per message. SDK v1 has only a WebSocket client (run against the Tidings server);',
    'SDK v1 has no WebSocket server and SDK v2 no WebSocket transport at all, so those sides are not measured.',
  ]),
  throughputGroup('sse', 'sse', `2c. Progress throughput, legacy HTTP+SSE (N = ${N.toLocaleString('en-US')})`, ['raw', 'tidings-legacy', 'sdk-v1'], [
    'Tidings and SDK v1 each on both sides (2024-11-05: the events go on the GET stream, each request is a POST answered 202).',
    'raw: node:http writes the same events on an SSE response, read with fetch (as in 2a).',
  ]),
  {
    id: 'latency',
    title: '3. Notification latency, Streamable HTTP, one process (first of a burst; tool holds 100 ms before returning)',
    ratioNote: 'ratio of milliseconds: lower is better',
    columns: [
      { metric: 'firstP50Ms', title: 'first p50 ms', short: 'first' },
      { metric: 'firstMaxMs', title: 'first max ms' },
      { metric: 'pacedP50Ms', title: 'paced p50 ms' },
      { metric: 'pacedP99Ms', title: 'paced p99 ms', short: 'p99' },
    ],
    ratioMetrics: ['firstP50Ms', 'pacedP99Ms'],
    cases: ['raw', 'tidings', 'tidings-legacy', 'sdk-v1', 'sdk-v2'].map((impl) => ({
      impl,
      label: LABELS[impl]!,
      script: 'cases/latency.ts',
      args: ['--impl', impl, ...(quick ? ['--rounds', '5', '--paced', '50'] : [])],
    })),
    footnotes: [
      'first: 20 calls of burst(5); time from the tool handing progress #1 to the library until the client callback.',
      'paced: 200 notifications 2 ms apart; per-notification send→callback latency.',
    ],
  },
  broadcastGroup('broadcast', `4a. Broadcast of one tools/list_changed to ${SESSIONS.toLocaleString('en-US')} idle sessions (server in its own process)`, SESSIONS, [
    'Sessions are plain node:http clients in the case process, identical for every server. 1 warm-up + 5 measured broadcasts.',
    'raw: node:http writes the same SSE event to every response (serialised once). Time: server call → last receipt (shared monotonic clock).',
  ]),
  ...(!tenK
    ? []
    : [broadcastGroup('broadcast', '4b. The same broadcast to 10,000 idle sessions', 10_000, ['Opening the 10,000 sessions is not timed in the broadcast figure (see "opening took").'])]),
  {
    id: 'heap',
    title: `5. Server heap per idle session (${SESSIONS.toLocaleString('en-US')} sessions, --expose-gc, heapUsed after forced GC)`,
    ratioNote: 'ratio of KiB per session: lower is better',
    columns: [
      { metric: 'perSessionKiB', title: 'KiB/session' },
      { metric: 'retainedAtOnceKiB', title: 'KiB left at close' },
      { metric: 'retainedAfter2sKiB', title: 'KiB left +2 s' },
      { metric: 'closeMs', title: 'close ms' },
    ],
    ratioMetrics: ['perSessionKiB'],
    cases: sessionCases('heap', ['raw', 'tidings', 'tidings-modern', 'sdk-v1', 'sdk-v2'], SESSIONS),
    footnotes: [
      '"left at close": heap still held per (closed) session right after the server counted none open; "+2 s": two seconds later.',
      'Legacy sessions are closed with DELETE and their stream dropped; listen / raw streams by dropping the connection.',
    ],
  },
];

interface Outcome {
  readonly spec: CaseSpec;
  readonly result?: CaseResult;
  readonly error?: string;
  readonly wallMs: number;
}

function runOne(spec: CaseSpec): Promise<Outcome> {
  const started = performance.now();
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
    }, CASE_LIMIT_MS);
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

function isTidings(impl: string): boolean {
  return impl.startsWith('tidings');
}

function printGroup(group: Group, outcomes: readonly Outcome[]): void {
  const find = (impl: string): CaseResult | undefined => outcomes.find((o) => o.spec.impl === impl && o.result)?.result;
  const raw = find('raw');
  const v1 = find('sdk-v1');
  const v2 = find('sdk-v2');
  const header = ['', ...group.columns.map((c) => c.title)];
  for (const metric of group.ratioMetrics) {
    const column = group.columns.find((c) => c.metric === metric);
    const suffix = group.ratioMetrics.length > 1 ? ` ${column?.short ?? column?.title ?? metric}` : '';
    header.push(`T/raw${suffix}`, `T/v1${suffix}`, `T/v2${suffix}`);
  }
  const rows: string[][] = [header];
  const notes: string[] = [];
  for (const outcome of outcomes) {
    const row = [outcome.spec.label];
    if (!outcome.result) {
      rows.push([...row, `FAILED: ${outcome.error ?? 'no result'}`]);
      continue;
    }
    const m = outcome.result.metrics;
    for (const column of group.columns) row.push(fmt(m[column.metric]));
    if (isTidings(outcome.spec.impl)) {
      for (const metric of group.ratioMetrics) {
        row.push(ratio(m[metric], raw?.metrics[metric]), ratio(m[metric], v1?.metrics[metric]), ratio(m[metric], v2?.metrics[metric]));
      }
    }
    rows.push(row);
    for (const note of outcome.result.notes ?? []) notes.push(`${outcome.spec.label}: ${note}`);
  }
  console.log(`\n${group.title}`);
  console.log(`  (T = this Tidings row; ${group.ratioNote})`);
  for (const line of columns(rows)) console.log(`  ${line}`);
  for (const note of notes) console.log(`  ! ${note}`);
  for (const footnote of group.footnotes ?? []) console.log(`  · ${footnote}`);
}

const startedAt = performance.now();
console.log(
  `Tidings benchmarks — node ${process.version}, ${quick ? 'QUICK (small counts, figures meaningless)' : 'full'} run, ` +
    `TypeScript run ${runner() === 'tsx' ? 'with tsx (keepNames: inflates Tidings figures)' : 'as shipped (esbuild, no keepNames)'}`,
);
if (!quick && !options.has('no-10k') && !tenK) {
  console.log(`(broadcast to 10,000 sessions skipped: the open-file limit ${fdLimit()} is under ${TEN_K_FDS}; the bench does not raise it)`);
}
for (const group of groups) {
  if (!only.has(group.id)) continue;
  const outcomes: Outcome[] = [];
  for (const spec of group.cases) {
    const outcome = await runOne(spec);
    process.stderr.write(`  [${group.id}] ${spec.label}: ${outcome.result ? 'ok' : 'FAILED'} in ${(outcome.wallMs / 1000).toFixed(1)} s\n`);
    outcomes.push(outcome);
  }
  printGroup(group, outcomes);
}
console.log(`\nTotal ${((performance.now() - startedAt) / 1000).toFixed(0)} s. Figures are from one run on a shared machine: compare rows of the same table, not across runs.`);
