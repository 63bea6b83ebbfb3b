import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { stopChild } from '../../../test-support/childProcess.js';
import { startRedisServer } from '../../../test-support/redisServer.js';
import { startRoundRobinProxy, type RoundRobinProxy } from '../../../test-support/roundRobinProxy.js';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** Three nodes, Redis and a balancer without stickiness, running. */
export interface RunningCluster {
  /** The balancer's MCP endpoint: what clients connect to. */
  readonly url: string;
  /** The nodes' ids, in the balancer's order. */
  readonly nodeIds: readonly string[];
  /** The balancer, which records which node served each request. */
  readonly balancer: RoundRobinProxy;
  /** Stops the balancer, the nodes (by PID) and the Redis it started. */
  stop(): Promise<void>;
}

/** Starts one node process (src/node.ts through tsx) and resolves with its URL once it listens. */
function startNode(nodeId: string, redisUrl: string, secret: string): Promise<{ url: string; child: ChildProcess }> {
  const env = { ...process.env, REDIS_URL: redisUrl, NODE_ID: nodeId, PORT: '0', MCP_REQUEST_STATE_SECRET: secret, TSX_TSCONFIG_PATH: here('../../../tsconfig.json') };
  const child = spawn(process.execPath, ['--import', 'tsx', here('./node.ts')], { env, cwd: here('..'), stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${nodeId} did not listen within 60 s`)), 60_000);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      void stopChild(child);
      reject(error);
    };
    child.once('exit', (code) => fail(new Error(`${nodeId} exited (${code}) before it listened`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const url = /^listening (\S+)/.exec(line)?.[1];
      if (!url) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ url, child });
    });
  });
}

/**
 * Starts the example's cluster: the Redis at `REDIS_URL`, or a redis-server
 * of its own on a free port; three nodes; and the balancer in this process.
 */
export async function startCluster(): Promise<RunningCluster> {
  const redis = process.env.REDIS_URL ? undefined : await startRedisServer();
  const redisUrl = process.env.REDIS_URL ?? redis!.url;
  const secret = globalThis.crypto.randomUUID();
  const nodeIds = ['node-a', 'node-b', 'node-c'];
  const started = await Promise.allSettled(nodeIds.map((id) => startNode(id, redisUrl, secret)));
  const nodes = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const stopNodes = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => stopChild(n.child)));
    await redis?.stop();
  };
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await stopNodes();
    throw failed.reason;
  }
  const balancer = await startRoundRobinProxy(nodes.map((n) => new URL(n.url).origin));
  return {
    url: `${balancer.origin}/mcp`,
    nodeIds,
    balancer,
    async stop() {
      await balancer.close();
      await stopNodes();
    },
  };
}
