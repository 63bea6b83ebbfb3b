/**
 * The referee's cluster target: a real redis-server, three reference server
 * nodes joined through it (PROTOCOL.md §cluster) and a balancer without
 * stickiness in front, so consecutive requests of the referee land on
 * different nodes. Prints `listening <url>` on stderr like the reference
 * server's CLI; SIGTERM or SIGINT ends everything it started, by PID.
 * The nodes share one process: what they share goes through Redis all the
 * same (separate processes are tested in packages/redis).
 */
import { ensureDebianPackage } from '../../test-support/ensureDebianPackage.js';
import { startRedisServer } from '../../test-support/redisServer.js';
import { startRoundRobinProxy } from '../../test-support/roundRobinProxy.js';
import { startReferenceTransport } from '../src/reference/startReferenceTransport.js';

ensureDebianPackage({ command: 'redis-server', versionArgs: ['--version'] });
const redis = await startRedisServer();
const requestStateSecret = globalThis.crypto.randomUUID();
const nodes = await Promise.all(
  ['a', 'b', 'c'].map((id) =>
    startReferenceTransport({ transport: 'streamable-http', port: 0, host: '127.0.0.1', runtime: 'node', redis: redis.url, nodeId: `node-${id}`, requestStateSecret }),
  ),
);
const proxy = await startRoundRobinProxy(nodes.map((node) => new URL(node.url).origin));

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await proxy.close();
  await Promise.all(nodes.map((node) => node.close()));
  await redis.stop();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
process.stderr.write(`listening ${proxy.origin}/mcp\n`);
