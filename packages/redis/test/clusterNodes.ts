import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { childEnv, stopChild } from '../../../test-support/childProcess.js';
import { redisForTests } from '../../../test-support/redisForTests.js';
import { startRoundRobinProxy, type RoundRobinProxy } from '../../../test-support/roundRobinProxy.js';

/** The `requestState` key every node of a test's cluster shares (a modern input round may be retried on another node). */
const CLUSTER_SECRET = globalThis.crypto.randomUUID();

/** One reference server process of a cluster. */
export interface ClusterNode {
  readonly id: string;
  readonly url: string;
  readonly child: ChildProcess;
  /** What it wrote on stderr, for a failing test to show. */
  readonly log: string[];
  stop(): Promise<void>;
}

/** Starts a reference server node on `transport`, joined to the cluster on `redisUrl`; resolves once it listens. */
export function startClusterNode(script: string, redisUrl: string, id: string, transport = 'streamable-http'): Promise<ClusterNode> {
  const args = ['--transport', transport, '--port', '0', '--redis', redisUrl, '--node-id', id, '--request-state-secret', CLUSTER_SECRET];
  const child = spawn(process.execPath, [script, ...args], {
    env: childEnv,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const log: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`node ${id} did not listen within 30 s:\n${log.join('\n')}`)), 30_000);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      void stopChild(child);
      reject(error);
    };
    child.once('exit', (code) => fail(new Error(`node ${id} exited (${code}) before it listened:\n${log.join('\n')}`)));
    createInterface({ input: child.stderr! }).on('line', (line) => {
      log.push(line);
      const url = /^listening (\S+)/.exec(line)?.[1];
      if (!url) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ id, url, child, log, stop: () => stopChild(child) });
    });
  });
}

/** Server processes on one Redis behind a balancer without stickiness: what a test of a cluster talks to. */
export interface BalancedCluster {
  readonly nodes: readonly ClusterNode[];
  readonly proxy: RoundRobinProxy;
  /** The MCP endpoint through the balancer. */
  readonly url: string;
  /** Stops the balancer, every node and the Redis. */
  stop(): Promise<void>;
}

/** Starts a Redis (`REDIS_URL`, else its own), a node per id on it, and the balancer in front. */
export async function startBalancedCluster(script: string, ids: readonly string[]): Promise<BalancedCluster> {
  const redis = await redisForTests();
  const nodes = await Promise.all(ids.map((id) => startClusterNode(script, redis.url, id)));
  const proxy = await startRoundRobinProxy(nodes.map((n) => new URL(n.url).origin));
  return {
    nodes,
    proxy,
    url: `${proxy.origin}/mcp`,
    async stop() {
      await proxy.close();
      await Promise.all(nodes.map((n) => n.stop()));
      await redis.stop();
    },
  };
}
