import type { ServerOptions } from '@tidings/protocol';
import { createRedisClusterBus, createRedisEventStore, createRedisSessionStore, createRedisTaskStore, type RedisEventStore, type RedisSessionStore } from '@tidings/redis';
import { errorText } from './errorText.js';

/** What a reference server node shares with the others of its cluster. */
export interface ClusterMembership {
  /** The bus and the task store, for `createServer`. */
  readonly serverOptions: ServerOptions;
  /** Where a legacy session's SSE events wait for a client that resumes, on any node. */
  readonly eventStore: RedisEventStore;
  /** Where legacy sessions live, so any node serves any session. */
  readonly sessionStore: RedisSessionStore;
  /** Ends the Redis connections (after the server closed). */
  close(): Promise<void>;
}

/** Joins the cluster on the Redis at `url` (PROTOCOL.md §cluster): notifications, tasks, legacy sessions and their events are shared. */
export function joinCluster(url: string, nodeId: string | undefined): ClusterMembership {
  const bus = createRedisClusterBus({ url });
  const store = createRedisTaskStore({ url });
  const eventStore = createRedisEventStore({ url });
  const sessionStore = createRedisSessionStore({ url });
  return {
    serverOptions: {
      cluster: { bus, ...(nodeId === undefined ? {} : { nodeId }) },
      tasks: { store },
      // What an operator of a node needs to see: the cluster's faults, and deliveries a recipient refused.
      onDiagnostic: (d) => {
        if (d.kind === 'cluster-error') process.stderr.write(`cluster-error (${d.step}): ${errorText(d.error)}\n`);
        else if (d.kind === 'delivery-failed') process.stderr.write(`delivery-failed to ${d.recipientId} (${d.method}): ${errorText(d.error)}\n`);
      },
    },
    eventStore,
    sessionStore,
    async close() {
      await Promise.all([bus.close(), store.close(), eventStore.close(), sessionStore.close()]);
    },
  };
}
