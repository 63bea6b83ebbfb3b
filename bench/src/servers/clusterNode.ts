/**
 * One Tidings node of the cluster cases (DESIGN §8, PROTOCOL.md §cluster), a
 * Streamable HTTP server whose listen streams the case opens:
 *   [--redis <url>] [--node-id <id>] [--log]
 * Without --redis it is a plain single-process server (the baseline); with
 * --log it publishes through the bus's log, as a node serving shared legacy
 * sessions does (what the log costs a publish). Listens
 * on 127.0.0.1 port 0, prints `{"listening": url}`, then answers one JSON line
 * per command line on stdin:
 *   count             → { sessions }             this node's listen streams
 *   broadcast         → { t0, t1, reached }      one tools/list_changed to the cluster;
 *                                                t0/t1 = process.hrtime.bigint() around the call
 *   burst <m> <fly>   → { t0, t1, reached, clusterErrors }
 *                                                m broadcasts, at most `fly` not yet settled
 *                                                (each settles once every node answered its count)
 */
import { createInterface } from 'node:readline';
import { createServer, type Server } from '@tidings/protocol';
import { arg, parseArgs } from '../lib/args.js';

const args = parseArgs();
const redisUrl = args.get('redis');
let clusterErrors = 0;

let closeBus: () => Promise<void> = async () => {};
let server: Server;
if (redisUrl) {
  const { createRedisClusterBus } = await import('@tidings/redis');
  const bus = createRedisClusterBus({ url: redisUrl });
  closeBus = () => bus.close();
  server = createServer(
    { name: 'bench-cluster', version: '1.0.0' },
    {
      cluster: { bus, nodeId: arg(args, 'node-id', `node-${process.pid}`) },
      // A count reply that came late is a fact of the run, reported with the figures, not printed per message.
      onDiagnostic: (d) => void (d.kind === 'cluster-error' && clusterErrors++),
    },
  );
} else {
  server = createServer({ name: 'bench-cluster', version: '1.0.0' }, { onDiagnostic: () => {} });
}
if (args.has('log')) server.cluster?.keepLog();
// One tool, so the server declares tools.listChanged and listen streams may ask for it.
server.tool({ name: 'noop' }, () => 'ok');
const { createStreamableHttpServer } = await import('@tidings/streamable-http');
const http = await createStreamableHttpServer({ server, port: 0 });

const reply = (value: Record<string, unknown>): void =>
  void process.stdout.write(`${JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`);

/** `m` broadcasts with at most `inFlight` unsettled: a bounded pipeline, as a busy publisher would run. */
async function burst(m: number, inFlight: number): Promise<number> {
  let reached = 0;
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < m) {
      next++;
      // Read `reached` after the await: `reached += await …` would add to a value read before it.
      const n = await server.broadcast('notifications/tools/list_changed');
      reached += n;
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, m) }, lane));
  return reached;
}

async function shutdown(): Promise<void> {
  await http.close();
  await closeBus();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown());

reply({ listening: http.url });
createInterface({ input: process.stdin }).on('line', (line) => {
  void (async () => {
    const [command, ...rest] = line.trim().split(/\s+/);
    switch (command) {
      case 'count':
        return reply({ sessions: server.sessions().length });
      case 'broadcast': {
        const t0 = process.hrtime.bigint();
        const reached = await server.broadcast('notifications/tools/list_changed');
        return reply({ t0, t1: process.hrtime.bigint(), reached });
      }
      case 'burst': {
        const errorsBefore = clusterErrors;
        const t0 = process.hrtime.bigint();
        const reached = await burst(Number(rest[0]), Number(rest[1] ?? 256));
        return reply({ t0, t1: process.hrtime.bigint(), reached, clusterErrors: clusterErrors - errorsBefore });
      }
      default:
        return reply({ error: `unknown command ${line}` });
    }
  })().catch((error: unknown) => reply({ error: String(error) }));
});
