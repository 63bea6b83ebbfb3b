import { afterAll, beforeAll } from 'vitest';
import type { Era, Server, ServerOptions } from '@tidings/protocol';
import { createReferenceServer, runConformance, scenarioObservations, type ScenarioObservations } from '@tidings/conformance';
import { createStreamableHttpClientTransport, createStreamableHttpServer } from '@tidings/streamable-http';
import { createRedisClusterBus, createRedisEventStore, createRedisSessionStore, createRedisTaskStore, type RedisClusterBus, type RedisTaskStore } from '@tidings/redis';
import { redisForTests, uniquePrefix } from './redisForTests.js';
import { startRoundRobinProxy } from './roundRobinProxy.js';

/** The eras the cluster column runs: both, legacy sessions shared through Redis (PROTOCOL.md §shared-sessions). */
export const CLUSTER_ERAS: readonly Era[] = ['legacy', 'modern'];

/**
 * The conformance suite in a cluster column: each scenario's reference server
 * is one of three nodes on a real Redis (`REDIS_URL`, else a redis-server of
 * the test's own), sharing bus, task store and `requestState` key, behind a
 * balancer without stickiness. Called at the top level of a test file; run by
 * `@tidings/redis`'s tests and by `pnpm conformance --cluster`.
 */
export function runClusterColumn(): void {
  let redis: Awaited<ReturnType<typeof redisForTests>> | undefined;
  beforeAll(async () => void (redis = await redisForTests()));
  afterAll(async () => void (await redis?.stop()));

  /** The cluster of the running scenario: its channel, and the bus and task store of the node the suite built. */
  let scenario: { channel: string; bus: RedisClusterBus; store: RedisTaskStore; observations: ScenarioObservations } | undefined;
  /** Nodes behind one balancer share the key of `requestState` (a modern input round may be retried on another node). */
  const requestStateSecret = globalThis.crypto.randomUUID();
  const clusters = new WeakMap<Server, Promise<string>>();

  const bus = (): RedisClusterBus => createRedisClusterBus({ url: redis!.url, onError: () => {} });
  const taskStore = (channel: string): RedisTaskStore => createRedisTaskStore({ url: redis!.url, keyPrefix: channel });

  /** What every node of the scenario's cluster is given: its bus, the shared task store and request-state key. */
  const nodeOptions = (channel: string, nodeBus: RedisClusterBus, store: RedisTaskStore): ServerOptions => ({
    cluster: { bus: nodeBus, channel },
    tasks: { store },
    requestStateSecret,
    // A cluster fault is what explains a scenario that fails here and passes on one node: it is printed.
    onDiagnostic: (d) => {
      if (d.kind === 'cluster-error' || d.kind === 'delivery-failed') console.error(`[cluster column] ${channel}: ${d.kind}`, 'step' in d ? d.step : d.method, d.error);
    },
  });

  /**
   * The scenario's reference server is one node; two peers join it on its own
   * channel of a real Redis, and every request of every client goes through a
   * balancer without stickiness, so consecutive requests land on different nodes.
   */
  async function startCluster(first: Server, onCleanup: (fn: () => Promise<void>) => void): Promise<string> {
    const { channel, bus: firstBus, store, observations } = scenario!;
    onCleanup(() => firstBus.close());
    onCleanup(() => store.close());
    const peers = [1, 2].map(() => {
      const peerBus = bus();
      onCleanup(() => peerBus.close());
      return createReferenceServer({ server: nodeOptions(channel, peerBus, store), observations });
    });
    const nodes = [first, ...peers];
    await Promise.all(nodes.map((node) => node.cluster!.joined));
    const origins: string[] = [];
    for (const node of nodes) {
      // Each node its own connections, as separate processes would have; the keys under the scenario's prefix.
      const eventStore = createRedisEventStore({ url: redis!.url, keyPrefix: channel });
      const sessionStore = createRedisSessionStore({ url: redis!.url, keyPrefix: channel });
      const http = await createStreamableHttpServer({ server: node, port: 0, eventStore, sessionStore });
      onCleanup(async () => {
        await http.close();
        if (node !== first) await node.close();
        await Promise.all([eventStore.close(), sessionStore.close()]);
      });
      origins.push(new URL(http.url).origin);
    }
    const proxy = await startRoundRobinProxy(origins);
    onCleanup(() => proxy.close());
    return `${proxy.origin}/mcp`;
  }

  runConformance({
    name: 'streamable-http (cluster)',
    eras: CLUSTER_ERAS,
    serverOptions() {
      const channel = uniquePrefix();
      scenario = { channel, bus: bus(), store: taskStore(channel), observations: scenarioObservations() };
      return nodeOptions(channel, scenario.bus, scenario.store);
    },
    observations: () => scenario!.observations,
    async connect(server, { onCleanup }) {
      let url = clusters.get(server);
      if (!url) clusters.set(server, (url = startCluster(server, (fn) => onCleanup(fn))));
      return createStreamableHttpClientTransport(await url);
    },
    capabilities: { rawText: false },
    timeoutMs: 60_000,
  });
}
