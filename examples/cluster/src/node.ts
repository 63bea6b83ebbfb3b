/**
 * One node of the cluster: a Tidings server on Streamable HTTP that joins the
 * others through Redis. Run three of these behind any balancer; each needs
 * REDIS_URL, its own NODE_ID and PORT (0 picks a free one), and the same
 * MCP_REQUEST_STATE_SECRET. Prints `listening <url>` once it serves.
 */
import { createServer } from '@tidings/protocol';
import { createRedisClusterBus, createRedisEventStore, createRedisSessionStore, createRedisTaskStore } from '@tidings/redis';
import { createStreamableHttpServer } from '@tidings/streamable-http';
import { z } from 'zod';
import { Announcement } from './announcement.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const nodeId = process.env.NODE_ID ?? `node-${process.pid}`;
const secret = process.env.MCP_REQUEST_STATE_SECRET;
if (!secret) throw new Error('MCP_REQUEST_STATE_SECRET must be set, the same on every node');

// Every node shares the bus (notifications), the task store (tasks/get on any node), the event store
// (Last-Event-ID on any node) and the session store (a legacy session's requests on any node).
const bus = createRedisClusterBus({ url });
const tasks = createRedisTaskStore({ url });
const events = createRedisEventStore({ url });
const sessions = createRedisSessionStore({ url });
const server = createServer(
  { name: 'example-cluster', version: '1.0.0' },
  { cluster: { bus, nodeId }, tasks: { store: tasks }, requestStateSecret: secret },
);

server.tool({ name: 'whoami', description: 'Answers the id of the node that took the request.', input: z.object({}) }, () => nodeId);

server.tool(
  { name: 'announce', description: 'Broadcasts an announcement to every listener of the cluster; answers how many got it.', input: z.object({ text: z.string() }) },
  async ({ text }) => String(await server.broadcast(Announcement, { from: nodeId, text })),
);

server.tool(
  {
    name: 'render',
    description: 'Renders a scene in `steps` steps; a task when the client asks for one.',
    input: z.object({ scene: z.string(), steps: z.number().int().min(1).max(20).default(3) }),
    execution: { taskSupport: 'optional' },
  },
  ({ scene, steps }, ctx) =>
    ctx.runAsTask(async (task) => {
      for (let i = 0; i < steps && !task.signal.aborted; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      return `rendered '${scene}' on ${nodeId}`;
    }),
);

await server.cluster!.joined;
const http = await createStreamableHttpServer({ server, port: Number(process.env.PORT ?? 0), host: '127.0.0.1', eventStore: events, sessionStore: sessions });
process.stdout.write(`listening ${http.url}\n`);

const stop = async (): Promise<void> => {
  await http.close();
  await server.close();
  await Promise.all([bus.close(), tasks.close(), events.close(), sessions.close()]);
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
