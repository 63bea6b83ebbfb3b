/**
 * Broadcast fan-out and heap per idle session; the server runs in its own
 * process (`servers/sessionServer.ts`, with --expose-gc), the idle sessions
 * are plain node:http clients in this one:
 *   --impl tidings|tidings-modern|tidings-sse|sdk-v1|sdk-v2|raw  --mode broadcast|heap  [--sessions 1000] [--rounds 5]
 * broadcast: one warm-up and `rounds` measured broadcasts of tools/list_changed;
 *   time from the server's call to the last session's receipt (one monotonic
 *   clock across both processes) and the time the server call took.
 * heap: heapUsed of the server after forced GC, before opening, with all open,
 *   right after closing all (once the server counts none), and 2 s later.
 */
import { startChild, type Child } from '../lib/child.js';
import { arg, numArg, parseArgs } from '../lib/args.js';
import { benchFile } from '../lib/paths.js';
import { runCase, type CaseResult } from '../lib/result.js';
import { median, sleep, waitUntil } from '../lib/stats.js';
import { closeAgent, closeSessions, openSessions, type IdleSession, type SessionKind } from './sessionOpeners.js';

const KINDS: Readonly<Record<string, { server: string; kind: SessionKind; graceful: boolean }>> = {
  tidings: { server: 'tidings', kind: 'legacy', graceful: true },
  'tidings-modern': { server: 'tidings', kind: 'modern', graceful: false },
  'tidings-sse': { server: 'tidings-sse', kind: 'sse', graceful: false },
  'sdk-v1': { server: 'sdk-v1', kind: 'legacy', graceful: true },
  'sdk-v2': { server: 'sdk-v2', kind: 'modern', graceful: false },
  raw: { server: 'raw', kind: 'raw', graceful: false },
};

async function command(server: Child, line: string, timeoutMs = 15_000): Promise<Record<string, string | number>> {
  server.send(line);
  const reply = JSON.parse(await server.nextLine(timeoutMs)) as Record<string, string | number>;
  if (reply.error !== undefined) throw new Error(`server: ${reply.error}`);
  return reply;
}

async function waitForCount(server: Child, expected: number, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if ((await command(server, 'count')).sessions === expected) return true;
    await sleep(25);
  }
  return false;
}

async function broadcast(server: Child, sessions: readonly IdleSession[], rounds: number): Promise<Record<string, number>> {
  const all: number[] = [];
  const serverSide: number[] = [];
  let missing = 0;
  for (let round = -1; round < rounds; round++) {
    const before = sessions.map((s) => s.ticks);
    const reply = await command(server, 'broadcast');
    const received = await waitUntil(() => sessions.every((s, i) => s.ticks > before[i]!), 10_000, 1);
    if (round < 0) continue;
    if (!received) missing = Math.max(missing, sessions.filter((s, i) => s.ticks === before[i]).length);
    const t0 = BigInt(reply.t0!);
    const last = sessions.reduce((max, s) => (s.lastTickAt > max ? s.lastTickAt : max), 0n);
    all.push(Number(last - t0) / 1e6);
    serverSide.push(Number(BigInt(reply.t1!) - t0) / 1e6);
  }
  return { allReceivedMs: median(all), bestMs: Math.min(...all), serverCallMs: median(serverSide), missing, rounds };
}

async function heap(server: Child, open: () => Promise<IdleSession[]>, count: number, graceful: boolean): Promise<Record<string, number>> {
  const kib = (bytes: number): number => bytes / count / 1024;
  // Warm-up: JIT, pools and lazily created structures must not count as per-session cost.
  const warm = await open();
  await closeSessions(warm, graceful);
  await waitForCount(server, 0, 10_000);
  const base = Number((await command(server, 'heap')).heapUsed);
  const sessions = await open();
  if (!(await waitForCount(server, count, 10_000))) throw new Error('the server never counted every session');
  const opened = Number((await command(server, 'heap')).heapUsed);
  const closeStart = performance.now();
  await closeSessions(sessions, graceful);
  const closedAll = await waitForCount(server, 0, 10_000);
  const closeMs = performance.now() - closeStart;
  const atOnce = Number((await command(server, 'heap')).heapUsed);
  await sleep(2000);
  const later = Number((await command(server, 'heap')).heapUsed);
  return {
    perSessionKiB: kib(opened - base),
    retainedAtOnceKiB: kib(atOnce - base),
    retainedAfter2sKiB: kib(later - base),
    closeMs,
    closedAll: closedAll ? 1 : 0,
  };
}

async function main(): Promise<CaseResult> {
  const args = parseArgs();
  const impl = arg(args, 'impl');
  const mode = arg(args, 'mode');
  const count = numArg(args, 'sessions', 1000);
  const rounds = numArg(args, 'rounds', 5);
  const spec = KINDS[impl];
  if (!spec) throw new Error(`unknown impl ${impl}`);

  const server = startChild(benchFile('servers/sessionServer.ts'), ['--impl', spec.server], ['--expose-gc']);
  let sessions: IdleSession[] = [];
  try {
    const url = String(JSON.parse(await server.nextLine(20_000)).listening);
    const notes: string[] = [];
    let metrics: Record<string, number>;
    if (mode === 'heap') {
      // As many as measured: after a warm-up of 100, the JIT still compiled ~0.4-0.65 KiB of code per
      // measured session (held after every session closed), which is not session state.
      const warmCount = count;
      let first = true;
      metrics = await heap(
        server,
        async () => {
          const n = first ? warmCount : count;
          first = false;
          return openSessions(spec.kind, url, n);
        },
        count,
        spec.graceful,
      );
      if (!metrics.closedAll) notes.push('the server still counted sessions 10 s after they were closed');
    } else {
      const openStart = performance.now();
      sessions = await openSessions(spec.kind, url, count);
      const openMs = performance.now() - openStart;
      if (!(await waitForCount(server, count, 10_000))) throw new Error('the server never counted every session');
      metrics = { sessions: count, openMs, ...(await broadcast(server, sessions, rounds)) };
      if (metrics.missing) notes.push(`${metrics.missing} of ${count} sessions never got a broadcast`);
    }
    return { impl, metrics, notes };
  } finally {
    await closeSessions(sessions, false);
    closeAgent();
    await server.stop();
  }
}

runCase(main);
