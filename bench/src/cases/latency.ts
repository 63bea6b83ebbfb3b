/**
 * Notification latency on one transport (DESIGN §5, issue 15):
 *   --impl raw|tidings|tidings-legacy|sdk-v1|sdk-v2  [--wire http|ws|sse|stdio] [--rounds 20] [--paced 200]
 * first: `rounds` calls of burst(n = 5, holdMs = 100): time from the tool
 *   handing progress #1 to the library to the client's first callback. A
 *   library that flushes only when the tool returns shows ≥ 100 ms here.
 * paced: one call sending `paced` notifications 2 ms apart: per-notification
 *   latency p50 / p99.
 * Network servers run in this process; a stdio server is the child the client
 * spawns, and hands its send times over in a file when each call ends
 * (lib/sentLog.ts). Both sides read the same monotonic clock (lib/clock.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arg, numArg, parseArgs } from '../lib/args.js';
import { monotonicMs } from '../lib/clock.js';
import { readSentLog, SENT_LOG_ENV } from '../lib/sentLog.js';
import { runCase, type CaseResult } from '../lib/result.js';
import { median, percentile } from '../lib/stats.js';
import type { BurstArgs, SendHook } from '../servers/burstTool.js';
import { defaultServer, openBurstClient, type WireName } from './burstClient.js';
import { startLatencyServer } from './latencyServers.js';

const HOLD_MS = 100;

async function main(): Promise<CaseResult> {
  const args = parseArgs();
  const impl = arg(args, 'impl');
  const wire = arg(args, 'wire', 'http') as WireName;
  const rounds = numArg(args, 'rounds', 20);
  const paced = numArg(args, 'paced', 200);

  const sentAt = new Map<number, number>();
  const receivedAt = new Map<number, number>();
  const hook: SendHook = (progress) => void sentAt.set(progress, monotonicMs());
  const onProgress = (progress: number): void => {
    if (!receivedAt.has(progress)) receivedAt.set(progress, monotonicMs());
  };

  // stdio: the spawned server inherits the variable and writes its send times there.
  const logDir = wire === 'stdio' ? mkdtempSync(join(tmpdir(), 'tidings-bench-latency-')) : undefined;
  const logFile = logDir ? join(logDir, 'sent') : undefined;
  if (logFile) process.env[SENT_LOG_ENV] = logFile;

  const server = await startLatencyServer(defaultServer(impl, wire), wire, hook);
  let call: (burst: BurstArgs) => Promise<void>;
  let closeClient: () => Promise<void>;
  if (impl === 'raw') {
    const { openRawHttp, openRawStdio, openRawWs } = await import('./rawClients.js');
    const raw = wire === 'stdio' ? openRawStdio(onProgress) : wire === 'ws' ? await openRawWs(server!.url, onProgress) : openRawHttp(server!.url, onProgress);
    call = (burst) => raw.request(burst);
    closeClient = () => raw.close();
  } else {
    const client = await openBurstClient(impl, { wire, serverImpl: defaultServer(impl, wire), ...(server ? { url: server.url } : {}) });
    call = (burst) => client.callBurst(burst, onProgress);
    closeClient = () => client.close();
  }
  const measure = async (burst: BurstArgs): Promise<void> => {
    sentAt.clear();
    receivedAt.clear();
    await call(burst);
    if (logFile) readSentLog(logFile, sentAt);
  };

  try {
    const first: number[] = [];
    let lostFirst = 0;
    // One warm-up round, not recorded.
    for (let round = -1; round < rounds; round++) {
      await measure({ n: 5, holdMs: HOLD_MS });
      const sent = sentAt.get(1);
      const received = receivedAt.get(1);
      if (round < 0) continue;
      if (sent === undefined || received === undefined) lostFirst++;
      else first.push(received - sent);
    }
    await measure({ n: paced, paceMs: 2 });
    const pacedLatency: number[] = [];
    for (const [progress, sent] of sentAt) {
      const received = receivedAt.get(progress);
      if (received !== undefined) pacedLatency.push(received - sent);
    }
    const notes: string[] = [];
    if (lostFirst > 0) notes.push(`first notification never delivered in ${lostFirst} of ${rounds} rounds`);
    if (pacedLatency.length < paced) notes.push(`paced: ${paced - pacedLatency.length} of ${paced} notifications not delivered`);
    return {
      impl,
      metrics: {
        firstP50Ms: median(first),
        firstMaxMs: Math.max(...first),
        pacedP50Ms: median(pacedLatency),
        pacedP99Ms: percentile(pacedLatency, 99),
        holdMs: HOLD_MS,
      },
      notes,
    };
  } finally {
    await closeClient();
    await server?.close();
    if (logDir) rmSync(logDir, { recursive: true, force: true });
  }
}

runCase(main);
