/**
 * Starts Redis (unless REDIS_URL is set), three nodes and a balancer without
 * stickiness, prints the balancer's URL and serves until Ctrl-C. With
 * `--demo`, runs the client demo through the balancer, then stops.
 * `npx --yes pnpm@10.34.8 --filter @tidings/example-cluster start` (or `demo`).
 */
import { spawnSync } from 'node:child_process';
import { startCluster } from './cluster.js';
import { runDemo } from './demo.js';

if (!process.env.REDIS_URL && spawnSync('redis-server', ['--version']).status !== 0) {
  console.error('redis-server was not found: install it with `apt-get install -y redis-server` (Debian), or set REDIS_URL to a Redis you run.');
  process.exit(1);
}

const cluster = await startCluster();
console.log(`balancer: ${cluster.url} (nodes: ${cluster.nodeIds.join(', ')})`);
if (process.argv.includes('--demo')) {
  try {
    await runDemo(cluster, (line) => console.log(line));
  } finally {
    await cluster.stop();
  }
} else {
  const stop = (): void => void cluster.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
