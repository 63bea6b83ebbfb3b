/**
 * Notification throughput, one implementation per process (DESIGN §5):
 *   --client raw|tidings|tidings-legacy|sdk-v1|sdk-v2  --wire stdio|http|ws|sse  [--server impl] [--n 100000] [--runs 2]
 * The server's `burst` tool sends n progress notifications (awaiting each send)
 * then returns; the client counts its progress callbacks. Per run: elapsed
 * time from the call to its result, notifications delivered by then, and any
 * that came later. A warm-up call (n/10) runs first.
 */
import { startChild, type Child } from '../lib/child.js';
import { arg, numArg, parseArgs } from '../lib/args.js';
import { benchFile } from '../lib/paths.js';
import { runCase, type CaseResult } from '../lib/result.js';
import { sleep } from '../lib/stats.js';
import { defaultServer, openBurstClient, type BurstClient, type Target, type WireName } from './burstClient.js';
import { ProgressCounter } from './progressCounter.js';
import { openRawHttp, openRawStdio, openRawWs, type RawConnection } from './rawClients.js';

/** How long after the result late progress is still counted (a lost one never comes). */
const GRACE_MS = 150;

interface Run {
  readonly elapsedMs: number;
  readonly atResult: number;
  readonly total: number;
  readonly outOfOrder: number;
}

async function main(): Promise<CaseResult> {
  const args = parseArgs();
  const client = arg(args, 'client');
  const wire = arg(args, 'wire') as WireName;
  const serverImpl = args.get('server') ?? defaultServer(client, wire);
  const n = numArg(args, 'n', 100_000);
  const runs = numArg(args, 'runs', 2);
  const counter = new ProgressCounter();

  let server: Child | undefined;
  let url: string | undefined;
  if (wire !== 'stdio') {
    server = startChild(benchFile('servers/progressServer.ts'), ['--impl', serverImpl, '--transport', wire]);
    url = (await server.nextLine(20_000, (l) => l.startsWith('listening '))).slice('listening '.length);
  }
  const target: Target = { wire, serverImpl, ...(url ? { url } : {}) };

  let call: (n: number) => Promise<void>;
  let close: () => Promise<void>;
  if (client === 'raw') {
    const raw: RawConnection = wire === 'stdio' ? openRawStdio(counter.on) : wire === 'ws' ? await openRawWs(url!, counter.on) : openRawHttp(url!, counter.on);
    call = (count) => raw.request({ n: count });
    close = () => raw.close();
  } else {
    const mcp: BurstClient = await openBurstClient(client, target);
    call = (count) => mcp.callBurst({ n: count }, counter.on);
    close = () => mcp.close();
  }

  const measure = async (count: number): Promise<Run> => {
    counter.reset();
    const start = performance.now();
    await call(count);
    const elapsedMs = performance.now() - start;
    const atResult = counter.count;
    await sleep(GRACE_MS);
    return { elapsedMs, atResult, total: counter.count, outOfOrder: counter.outOfOrder };
  };

  try {
    await measure(Math.max(100, Math.round(n / 10)));
    const results: Run[] = [];
    for (let i = 0; i < runs; i++) results.push(await measure(n));
    const best = results.reduce((a, b) => (b.elapsedMs < a.elapsedMs ? b : a));
    const lost = Math.max(...results.map((r) => n - r.total));
    const late = Math.max(...results.map((r) => r.total - r.atResult));
    const notes: string[] = [];
    if (lost > 0) notes.push(`lost ${results.map((r) => n - r.total).join(' / ')} of ${n} progress notifications (per run)`);
    if (late > 0) notes.push(`${late} progress callbacks came after the result resolved`);
    return {
      impl: client,
      metrics: {
        n,
        rate: (best.atResult / best.elapsedMs) * 1000,
        elapsedMs: best.elapsedMs,
        lost,
        late,
        outOfOrder: Math.max(...results.map((r) => r.outOfOrder)),
      },
      notes,
    };
  } finally {
    await close();
    await server?.stop();
  }
}

runCase(main);
