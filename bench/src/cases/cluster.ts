/**
 * Tidings on several nodes over one real Redis (DESIGN §5/§8, issue 16):
 *   --mode fanout    --nodes 4 --streams 10000 [--redis] [--rounds 5]
 *     listen streams spread evenly over `nodes` server processes; node 0
 *     broadcasts one tools/list_changed; time from its call to the last
 *     stream's receipt (one monotonic clock), median of `rounds` after a
 *     warm-up. `--nodes 1` without --redis is the single-process baseline;
 *     `--nodes 1 --redis` a lone node with the cluster option on.
 *   --mode crossnode --streams 1 --messages 50000 [--in-flight 256] [--log]
 *     two nodes; the streams are held by node 1, node 0 runs `messages`
 *     broadcasts (at most `in-flight` unsettled); notifications per second
 *     crossing Redis until the last stream has them all, and the count of
 *     lost or duplicated ones.
 * Every process (nodes, redis-server) is ended by PID.
 */
import type { RedisServer } from '../../../test-support/redisServer.js';
import { startChild, type Child } from '../lib/child.js';
import { arg, numArg, parseArgs } from '../lib/args.js';
import { startBenchRedis } from '../lib/benchRedis.js';
import { benchFile } from '../lib/paths.js';
import { runCase, type CaseResult } from '../lib/result.js';
import { median, waitUntil } from '../lib/stats.js';
import { openCountedStream, type CountedStream } from './listenCounter.js';
import { closeAgent, closeSessions, openSessions, type IdleSession } from './sessionOpeners.js';

type Reply = Record<string, string | number>;

async function command(node: Child, line: string, timeoutMs = 60_000): Promise<Reply> {
  node.send(line);
  const reply = JSON.parse(await node.nextLine(timeoutMs)) as Reply;
  if (reply.error !== undefined) throw new Error(`node: ${reply.error}`);
  return reply;
}

async function startNodes(count: number, redis: RedisServer | undefined, more: readonly string[]): Promise<{ nodes: Child[]; urls: string[] }> {
  const nodes = Array.from({ length: count }, (_, i) =>
    startChild(benchFile('servers/clusterNode.ts'), redis ? ['--redis', redis.url, '--node-id', `node-${i}`, ...more] : []),
  );
  const urls = await Promise.all(nodes.map(async (node) => String((JSON.parse(await node.nextLine(20_000)) as Reply).listening)));
  return { nodes, urls };
}

async function fanout(nodes: Child[], urls: string[], streams: number, rounds: number, sessions: IdleSession[]): Promise<Record<string, number>> {
  const perNode = Math.ceil(streams / nodes.length);
  const openStart = performance.now();
  for (const url of urls) sessions.push(...(await openSessions('modern', url, Math.min(perNode, streams - sessions.length))));
  const openMs = performance.now() - openStart;
  const counted = await Promise.all(nodes.map(async (node) => Number((await command(node, 'count')).sessions)));
  if (counted.reduce((a, b) => a + b, 0) !== sessions.length) throw new Error(`nodes count ${counted.join('+')} streams, ${sessions.length} were opened`);
  const all: number[] = [];
  const serverSide: number[] = [];
  let missing = 0;
  let reached = 0;
  for (let round = -1; round < rounds; round++) {
    const before = sessions.map((s) => s.ticks);
    const reply = await command(nodes[0]!, 'broadcast');
    const received = await waitUntil(() => sessions.every((s, i) => s.ticks > before[i]!), 10_000, 1);
    if (round < 0) continue;
    if (!received) missing = Math.max(missing, sessions.filter((s, i) => s.ticks === before[i]).length);
    reached = Number(reply.reached);
    const t0 = BigInt(reply.t0!);
    const last = sessions.reduce((max, s) => (s.lastTickAt > max ? s.lastTickAt : max), 0n);
    all.push(Number(last - t0) / 1e6);
    serverSide.push(Number(BigInt(reply.t1!) - t0) / 1e6);
  }
  return { streams: sessions.length, nodes: nodes.length, allReceivedMs: median(all), bestMs: Math.min(...all), serverCallMs: median(serverSide), reached, missing, openMs };
}

async function crossnode(nodes: Child[], urls: string[], streamCount: number, messages: number, inFlight: number, streams: CountedStream[]): Promise<Record<string, number>> {
  for (let i = 0; i < streamCount; i++) streams.push(await openCountedStream(urls[1]!));
  if (Number((await command(nodes[1]!, 'count')).sessions) !== streamCount) throw new Error('node 1 does not count every stream');
  const run = async (m: number): Promise<Record<string, number>> => {
    const before = streams.map((s) => s.count);
    const reply = await command(nodes[0]!, `burst ${m} ${inFlight}`);
    // Bounded: a lost notification never comes, so the wait ends at the deadline and counts it.
    await waitUntil(() => streams.every((s, i) => s.count - before[i]! >= m), 30_000, 2);
    const got = streams.reduce((sum, s, i) => sum + (s.count - before[i]!), 0);
    const t0 = BigInt(reply.t0!);
    const last = streams.reduce((max, s) => (s.lastAt > max ? s.lastAt : max), 0n);
    const seconds = Number(last - t0) / 1e9;
    return {
      perSecond: m / seconds,
      deliveriesPerSecond: got / seconds,
      elapsedMs: seconds * 1000,
      publisherMs: Number(BigInt(reply.t1!) - t0) / 1e6,
      lost: Math.max(0, m * streamCount - got),
      duplicated: Math.max(0, got - m * streamCount),
      reached: Number(reply.reached),
      clusterErrors: Number(reply.clusterErrors),
    };
  };
  await run(Math.max(100, Math.round(messages / 10)));
  return { streams: streamCount, messages, inFlight, ...(await run(messages)) };
}

async function main(): Promise<CaseResult> {
  const args = parseArgs();
  const mode = arg(args, 'mode');
  const nodeCount = mode === 'crossnode' ? 2 : numArg(args, 'nodes', 4);
  const useRedis = mode === 'crossnode' || nodeCount > 1 || args.has('redis');
  let redis: RedisServer | undefined;
  let nodes: Child[] = [];
  const sessions: IdleSession[] = [];
  const streams: CountedStream[] = [];
  try {
    if (useRedis) redis = await startBenchRedis();
    const started = await startNodes(nodeCount, redis, args.has('log') ? ['--log'] : []);
    nodes = started.nodes;
    const notes: string[] = [];
    let metrics: Record<string, number>;
    if (mode === 'fanout') {
      metrics = await fanout(nodes, started.urls, numArg(args, 'streams', 10_000), numArg(args, 'rounds', 5), sessions);
      if (metrics.missing) notes.push(`${metrics.missing} of ${metrics.streams} streams never got a broadcast`);
      if (metrics.reached !== metrics.streams) notes.push(`broadcast resolved to ${metrics.reached}, ${metrics.streams} streams are open`);
    } else {
      const messages = numArg(args, 'messages', 50_000);
      metrics = await crossnode(nodes, started.urls, numArg(args, 'streams', 1), messages, numArg(args, 'in-flight', 256), streams);
      if (metrics.lost || metrics.duplicated) notes.push(`lost ${metrics.lost}, duplicated ${metrics.duplicated} of ${messages * metrics.streams!}`);
      if (metrics.clusterErrors) notes.push(`${metrics.clusterErrors} cluster-error diagnostics (count replies later than 2 s) on the publisher`);
    }
    return { impl: mode, metrics, notes };
  } finally {
    for (const stream of streams) stream.close();
    await closeSessions(sessions, false);
    closeAgent();
    await Promise.all(nodes.map((node) => node.stop()));
    await redis?.stop();
  }
}

runCase(main);
