/**
 * What one bench run measures: the tables (groups), each a list of cases run
 * one process each. run.ts decides which run; report.ts prints them.
 */
import type { WireName } from './cases/burstClient.js';
import { clusterGroups } from './clusterGroups.js';

/** One column of a table: a metric a case reports. */
export interface Column {
  readonly metric: string;
  readonly title: string;
  /** Suffix of its ratio columns when a group has several ratio metrics. */
  readonly short?: string;
}

/** One case: a script run in its own process, one row of its table. */
export interface CaseSpec {
  readonly impl: string;
  readonly label: string;
  readonly script: string;
  readonly args: readonly string[];
  readonly nodeFlags?: readonly string[];
  /** Time limit of this case when it needs more than the runner's default. */
  readonly limitMs?: number;
}

/** One table. */
export interface Group {
  /** What `--only` selects it by (several tables may share one). */
  readonly id: string;
  readonly title: string;
  /** What the table measures, for the issue-15 summary: throughput or latency per wire. */
  readonly measures?: { readonly kind: 'throughput' | 'latency'; readonly wire: WireName };
  /** What the ratio means for this group. */
  readonly ratioNote: string;
  readonly columns: readonly Column[];
  /** Metrics that get Tidings / raw and Tidings / SDK ratios. */
  readonly ratioMetrics: readonly string[];
  /** Rows the ratios divide by, as [impl, column name]; default raw, SDK v1, SDK v2. */
  readonly peers?: readonly (readonly [string, string])[];
  readonly cases: readonly CaseSpec[];
  /** Interleaved passes over the cases; each figure is the median of the passes. @default 1 */
  readonly passes?: number;
  readonly footnotes?: readonly string[];
}

/** What the run was asked for. */
export interface RunPlan {
  readonly quick: boolean;
  /** Whether the 10,000-session broadcast runs. */
  readonly tenK: boolean;
  /** Whether the cluster tables run (full runs only). */
  readonly cluster: boolean;
}

export const LABELS: Readonly<Record<string, string>> = {
  raw: 'raw baseline',
  tidings: 'Tidings (modern era)',
  'tidings-legacy': 'Tidings (legacy era)',
  'sdk-v1': 'SDK v1 1.32',
  'sdk-v2': 'SDK v2 2.4',
};

/** Which implementations each wire is measured with (an SDK without that transport is left out). */
export const WIRE_IMPLS: Readonly<Record<WireName, readonly string[]>> = {
  stdio: ['raw', 'tidings', 'tidings-legacy', 'sdk-v1', 'sdk-v2'],
  http: ['raw', 'tidings', 'tidings-legacy', 'sdk-v1', 'sdk-v2'],
  ws: ['raw', 'tidings', 'tidings-legacy', 'sdk-v1'],
  sse: ['raw', 'tidings-legacy', 'sdk-v1'],
};

export const WIRE_NAMES: Readonly<Record<WireName, string>> = {
  stdio: 'stdio',
  http: 'Streamable HTTP',
  ws: 'WebSocket',
  sse: 'legacy HTTP+SSE',
};

const WIRE_FOOTNOTES: Readonly<Record<WireName, readonly string[]>> = {
  stdio: [
    'raw: a child writes the same JSON lines to stdout (one write each, honouring drain); the parent splits lines and JSON.parses them.',
    'SDK v2 client on stdio uses its default legacy era (its `auto` mode spawns an extra probe process).',
  ],
  http: [
    'raw: node:http answers the POST with an SSE stream of the same events; the client reads it with fetch and parses each data line.',
    'SDK v2 server: createMcpHandler (modern era) behind a minimal node:http↔fetch bridge (@modelcontextprotocol/node is not installed).',
  ],
  ws: [
    'raw: `ws` server and client, one text frame per message. SDK v1 has only a WebSocket client (run against the Tidings server);',
    'SDK v1 has no WebSocket server and SDK v2 no WebSocket transport at all, so those sides are not measured.',
  ],
  sse: [
    'Tidings and SDK v1 each on both sides (2024-11-05: the events go on the GET stream, each request is a POST answered 202).',
    'raw: node:http writes the same events on an SSE response, read with fetch (as on Streamable HTTP).',
  ],
};

function caseLabel(impl: string, wire: WireName): string {
  return impl === 'sdk-v1' && wire === 'ws' ? 'SDK v1 client → Tidings server' : LABELS[impl]!;
}

/** SDK v1's WebSocket client needs the global WebSocket, behind a flag on Node 20. */
function wireFlags(impl: string, wire: WireName): { nodeFlags?: readonly string[] } {
  return impl === 'sdk-v1' && wire === 'ws' ? { nodeFlags: ['--experimental-websocket'] } : {};
}

function throughputGroup(wire: WireName, number: string, n: number): Group {
  return {
    id: wire,
    title: `${number}. Progress throughput, ${WIRE_NAMES[wire]} (N = ${n.toLocaleString('en-US')})`,
    measures: { kind: 'throughput', wire },
    ratioNote: 'ratio of notifications/s: higher is better',
    columns: [
      { metric: 'rate', title: 'notif/s' },
      { metric: 'elapsedMs', title: 'ms' },
      { metric: 'lost', title: 'lost' },
      { metric: 'late', title: 'late' },
    ],
    ratioMetrics: ['rate'],
    cases: WIRE_IMPLS[wire].map((impl) => ({
      impl,
      label: caseLabel(impl, wire),
      script: 'cases/throughput.ts',
      args: ['--client', impl, '--wire', wire, '--n', String(n)],
      ...wireFlags(impl, wire),
    })),
    footnotes: WIRE_FOOTNOTES[wire],
  };
}

/** Interleaved passes of each latency table, and paced notifications per pass. */
const LATENCY_PASSES = 3;
const PACED = 400;

function latencyGroup(wire: WireName, number: string, quick: boolean): Group {
  const where = wire === 'stdio' ? 'server in the child the client spawns' : 'server and client in one process';
  const [calls, paced, passes] = quick ? [5, 50, 1] : [20, PACED, LATENCY_PASSES];
  return {
    id: 'latency',
    title: `${number}. Notification latency, ${WIRE_NAMES[wire]} (${where}; first of a burst, tool holds 100 ms before returning)`,
    measures: { kind: 'latency', wire },
    ratioNote: 'ratio of milliseconds: lower is better',
    columns: [
      { metric: 'firstP50Ms', title: 'first p50 ms', short: 'first' },
      { metric: 'firstMaxMs', title: 'first max ms' },
      { metric: 'pacedP50Ms', title: 'paced p50 ms' },
      { metric: 'pacedP99Ms', title: 'paced p99 ms', short: 'p99' },
    ],
    ratioMetrics: ['firstP50Ms', 'pacedP99Ms'],
    // A p99 of sub-millisecond latencies is a handful of samples: one scheduler hiccup in one row's
    // turn moved its ratio from 0.7× to 4× between identical runs. Three interleaved passes, medians.
    passes,
    cases: WIRE_IMPLS[wire].map((impl) => ({
      impl,
      label: caseLabel(impl, wire),
      script: 'cases/latency.ts',
      args: ['--impl', impl, '--wire', wire, '--rounds', String(calls), '--paced', String(paced)],
      ...wireFlags(impl, wire),
    })),
    footnotes:
      wire === 'stdio'
        ? ['The stdio server hands its send times over in a file after each call; both sides read the system monotonic clock.']
        : wire === 'http'
          ? [
              `first: ${calls} calls of burst(5); time from the tool handing progress #1 to the library until the client callback.`,
              `paced: ${paced} notifications 2 ms apart; per-notification send→callback latency (p50, p99).`,
              ...(passes > 1 ? [`Every figure is the median of ${passes} passes run in turn (raw, Tidings, SDKs, raw, …).`] : []),
            ]
          : [],
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

function broadcastGroup(title: string, count: number, impls: readonly string[], footnotes: readonly string[]): Group {
  return {
    id: 'broadcast',
    title,
    ratioNote: 'ratio of time until every session got it: lower is better',
    columns: [
      { metric: 'allReceivedMs', title: 'all got it ms (p50)' },
      { metric: 'bestMs', title: 'best ms' },
      { metric: 'serverCallMs', title: 'server call ms' },
      { metric: 'openMs', title: 'opening took ms' },
    ],
    ratioMetrics: ['allReceivedMs'],
    cases: sessionCases('broadcast', impls, count),
    footnotes,
  };
}

/** Every table of a run, in the order they run and print. */
export function buildGroups(plan: RunPlan): Group[] {
  // 20,000 gave the raw HTTP+SSE row a ~60 ms window: JIT and one scheduler slice decided its rate.
  const n = plan.quick ? 2000 : 100_000;
  const sessions = plan.quick ? 100 : 1000;
  return [
    throughputGroup('stdio', '1', n),
    throughputGroup('http', '2a', n),
    throughputGroup('ws', '2b', n),
    throughputGroup('sse', '2c', n),
    latencyGroup('stdio', '3a', plan.quick),
    latencyGroup('http', '3b', plan.quick),
    latencyGroup('ws', '3c', plan.quick),
    latencyGroup('sse', '3d', plan.quick),
    broadcastGroup(
      `4a. Broadcast of one tools/list_changed to ${sessions.toLocaleString('en-US')} idle sessions (server in its own process)`,
      sessions,
      ['raw', 'tidings', 'tidings-modern', 'sdk-v2'],
      [
        'Sessions are plain node:http clients in the case process, identical for every server. 1 warm-up + 5 measured broadcasts.',
        'raw: node:http writes the same SSE event to every response (serialised once). Time: server call → last receipt (shared monotonic clock).',
        'SDK v2: listen streams (subscriptions/listen) of createMcpHandler behind the fetch bridge; handler.notify.toolsChanged() publishes on its',
        'in-process bus, which hands the event to every listen stream synchronously (T/v2 compares it with Tidings listen streams and legacy sessions).',
      ],
    ),
    ...(!plan.tenK
      ? []
      : [broadcastGroup('4b. The same broadcast to 10,000 idle sessions', 10_000, ['raw', 'tidings', 'tidings-modern'], ['Opening the 10,000 sessions is not timed in the broadcast figure (see "opening took").'])]),
    {
      id: 'heap',
      title: `5. Server heap per idle session (${sessions.toLocaleString('en-US')} sessions, --expose-gc, heapUsed after forced GC)`,
      ratioNote: 'ratio of KiB per session: lower is better',
      columns: [
        { metric: 'perSessionKiB', title: 'KiB/session' },
        { metric: 'retainedAtOnceKiB', title: 'KiB left at close' },
        { metric: 'retainedAfter2sKiB', title: 'KiB left +2 s' },
        { metric: 'closeMs', title: 'close ms' },
      ],
      ratioMetrics: ['perSessionKiB'],
      cases: sessionCases('heap', ['raw', 'tidings', 'tidings-modern', 'sdk-v1', 'sdk-v2'], sessions),
      footnotes: [
        '"left at close": heap still held per (closed) session right after the server counted none open; "+2 s": two seconds later.',
        'Legacy sessions are closed with DELETE and their stream dropped; listen / raw streams by dropping the connection.',
      ],
    },
    ...(plan.cluster ? clusterGroups() : []),
  ];
}
