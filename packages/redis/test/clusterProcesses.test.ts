import { Client as V2Client, StreamableHTTPClientTransport as V2Transport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createClient, type Client } from '@tidings/protocol';
import { createStreamableHttpClientTransport } from '@tidings/streamable-http';
import { Marker, watchMarkers } from '../../../test-support/marker.js';
import type { RoundRobinProxy } from '../../../test-support/roundRobinProxy.js';
import { waitFor } from '../../../test-support/waitFor.js';
import { startBalancedCluster, startClusterNode, type BalancedCluster } from './clusterNodes.js';
import { startRedisServer } from '../../../test-support/redisServer.js';

const text = (result: { content: unknown }): string => ((result.content as Array<{ text: string }>)[0] ?? { text: '' }).text;

describe('three server processes on one Redis behind a balancer with no stickiness (modern clients)', () => {
  let cluster: BalancedCluster | undefined;
  let proxy: RoundRobinProxy;
  let url: string;
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    cluster = await startBalancedCluster(inject('referenceServer'), ['node-a', 'node-b', 'node-c']);
    ({ proxy, url } = cluster);
  });

  afterAll(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
    await cluster?.stop();
  });

  async function tidingsClient(): Promise<{ client: Client; markers: number[]; listChanged: () => number }> {
    const client = createClient({ name: 'tidings-cluster-client', version: '1.0.0' }, { era: 'modern' });
    cleanups.push(() => client.close());
    let listChanged = 0;
    client.on('notifications/tools/list_changed', () => void listChanged++);
    const markers = watchMarkers(client);
    await client.connect(createStreamableHttpClientTransport(url));
    await client.listening();
    return { client, markers, listChanged: () => listChanged };
  }

  it('every request may land on another node; broadcasts and targeted notifications made on any node reach each listen stream once', async () => {
    const tidings = await tidingsClient();
    const sdk = new V2Client({ name: 'sdk-v2-cluster-client', version: '2.0.0' }, { capabilities: {}, versionNegotiation: { mode: 'auto' } });
    cleanups.push(() => sdk.close());
    let sdkListChanged = 0;
    sdk.setNotificationHandler('notifications/tools/list_changed', () => void sdkListChanged++);
    await sdk.connect(new V2Transport(new URL(url)));
    const subscription = await sdk.listen({ toolsListChanged: true });
    cleanups.push(() => subscription.close());

    // Progress of a call comes back on the call's own stream, whichever node ran it.
    for (let i = 0; i < 3; i++) {
      const progress: number[] = [];
      const result = await tidings.client.callTool('long_running_task', { task_name: `n${i}`, steps: 2 }, { onProgress: (p) => progress.push(p.progress) });
      expect(text(result)).toBe(`Task 'n${i}' completed`);
      expect(progress).toEqual([0.5, 1]);
    }
    const before = proxy.served.length;

    // Six broadcasts, two made on each node: each answers the cluster-wide count of listen streams that asked.
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) answers.push(text(await tidings.client.callTool('broadcast', { method: 'notifications/tools/list_changed' })));
    expect(new Set(proxy.served.slice(before)).size).toBe(3);
    expect(answers).toEqual(['2', '2', '2', '2', '2', '2']);

    // The Tidings listen stream lives on one node: find it by asking each node, then notify it from every node.
    const sessions = [];
    for (let i = 0; i < 3; i++) sessions.push(...(JSON.parse(text(await tidings.client.callTool('list_sessions', {}))) as Array<{ id: string; client?: string }>));
    const target = sessions.find((s) => s.client === 'tidings-cluster-client');
    expect(target).toBeDefined();
    const delivered: string[] = [];
    for (let n = 1; n <= 3; n++) {
      delivered.push(text(await tidings.client.callTool('notify_session', { session_id: target!.id, method: Marker.method, params: { n } })));
    }
    expect(delivered).toEqual(['true', 'true', 'true']);
    expect(text(await tidings.client.callTool('notify_session', { session_id: 'nobody', method: Marker.method, params: { n: 0 } }))).toBe('false');

    // Each long_running_task announced a list change as it ended (3), then the six broadcasts.
    // The markers came after all of them on the same stream: once they are in, the count is final.
    await waitFor(() => expect(tidings.markers).toEqual([1, 2, 3]), 10_000);
    expect(tidings.listChanged()).toBe(9);
    await waitFor(() => expect(sdkListChanged).toBe(9), 10_000);
  });

  it('resource updates made on every node reach each listen stream subscribed to the URI once, and no other', async () => {
    const uri = 'test://cluster/watched';
    const tidings = createClient({ name: 'tidings-resource-watcher', version: '1.0.0' }, { era: 'modern' });
    cleanups.push(() => tidings.close());
    const tidingsUpdates: string[] = [];
    tidings.on('notifications/resources/updated', (params) => void tidingsUpdates.push(params.uri));
    await tidings.connect(createStreamableHttpClientTransport(url));
    await tidings.subscribe(uri);
    const sdk = new V2Client({ name: 'sdk-v2-resource-watcher', version: '2.0.0' }, { capabilities: {}, versionNegotiation: { mode: 'auto' } });
    cleanups.push(() => sdk.close());
    const sdkUpdates: string[] = [];
    sdk.setNotificationHandler('notifications/resources/updated', (notification) => void sdkUpdates.push(notification.params.uri));
    await sdk.connect(new V2Transport(new URL(url)));
    const subscription = await sdk.listen({ resourceSubscriptions: [uri] });
    cleanups.push(() => subscription.close());

    // Three updates, one made on each node: each reaches the two streams that asked for the URI, wherever they live.
    const before = proxy.served.length;
    const reached: string[] = [];
    for (let i = 0; i < 3; i++) reached.push(text(await tidings.callTool('touch_resource', { uri })));
    expect(new Set(proxy.served.slice(before)).size).toBe(3);
    expect(reached).toEqual(['2', '2', '2']);
    // Nobody asked for this one: no node delivers it.
    expect(text(await tidings.callTool('touch_resource', { uri: 'test://cluster/unwatched' }))).toBe('0');
    await waitFor(() => expect(tidingsUpdates).toEqual([uri, uri, uri]), 10_000);
    await waitFor(() => expect(sdkUpdates).toEqual([uri, uri, uri]), 10_000);
  });

  it('the logs of a request come back on its own stream at its level, whichever node ran it', async () => {
    const { client } = await tidingsClient();
    const levels: string[] = [];
    client.on('notifications/message', (params) => void levels.push(params.level));
    await client.setLogLevel('notice');
    const before = proxy.served.length;
    for (let i = 0; i < 3; i++) await client.callTool('log_levels');
    expect(new Set(proxy.served.slice(before)).size).toBe(3);
    expect(levels).toEqual(['notice', 'warning', 'error', 'notice', 'warning', 'error', 'notice', 'warning', 'error']);
  });

  it('a task started on one node is followed to its result through the others, and by a new client after the first left', async () => {
    const first = await tidingsClient();
    const task = await first.client.callTool('slow_compute', { seconds: 0.3, label: 'cluster' }, { task: true });
    const taskId = task.taskId;
    if (taskId === undefined) throw new Error('slow_compute answered at once instead of as a task');
    await first.client.close();
    // A new connection, whose every request may land on a node that never ran the task: the shared store answers.
    const second = await tidingsClient();
    const before = proxy.served.length;
    const result = await second.client.watchTask(taskId).result;
    expect(text(result)).toBe('Computed cluster after 0.3s');
    expect(new Set(proxy.served.slice(before)).size).toBeGreaterThan(1);
  });
});

describe('a cluster whose Redis restarts mid-run', () => {
  it('each node serves its own clients while Redis is away, and the cluster is whole again after it returns', async () => {
    const redis = await startRedisServer();
    const nodes = await Promise.all(['x', 'y'].map((id) => startClusterNode(inject('referenceServer'), redis.url, `node-${id}`)));
    const clients: Client[] = [];
    const connect = async (name: string): Promise<Client> => {
      const client = createClient({ name, version: '1.0.0' }, { era: 'modern' });
      clients.push(client);
      return client;
    };
    try {
      // One listener and one caller on each node, connected to it directly.
      const listeners: number[][] = [];
      const callers: Client[] = [];
      for (const node of nodes) {
        const listener = await connect(`listener-${node.id}`);
        listeners.push(watchMarkers(listener));
        await listener.connect(createStreamableHttpClientTransport(node.url));
        await listener.listening();
        const caller = await connect(`caller-${node.id}`);
        await caller.connect(createStreamableHttpClientTransport(node.url));
        callers.push(caller);
      }
      const broadcast = async (from: number, n: number): Promise<string> =>
        text(await callers[from]!.callTool('broadcast', { method: Marker.method, params: { n } }));

      expect(await broadcast(0, 1)).toBe('2');
      await redis.kill();
      // Without Redis a node reaches only its own listener, and counts only it: nothing is counted that was not delivered.
      expect([await broadcast(0, 2), await broadcast(1, 3)]).toEqual(['1', '1']);
      await redis.start();
      await waitFor(async () => expect(await broadcast(0, 100)).toBe('2'), 20_000);
      await waitFor(async () => expect(await broadcast(1, 101)).toBe('2'), 20_000);
      expect(await broadcast(1, 4)).toBe('2');
      await waitFor(() => {
        for (const seen of listeners) expect(seen).toContain(4);
      });
      // What each side saw: 1 and 4 on both; 2 only on x's listener, 3 only on y's.
      expect(listeners.map((seen) => seen.filter((n) => n < 100))).toEqual([
        [1, 2, 4],
        [1, 3, 4],
      ]);
    } finally {
      await Promise.all(clients.map((c) => c.close().catch(() => {})));
      await Promise.all(nodes.map((n) => n.stop()));
      await redis.stop();
    }
  });
});

describe('a node killed mid-call (kill -9)', () => {
  it('the call running on it does not hang: the client sends it again and another node answers; listening goes on from another node', async () => {
    const cluster = await startBalancedCluster(inject('referenceServer'), ['node-p', 'node-q', 'node-r']);
    const { nodes, proxy } = cluster;
    const clients: Client[] = [];
    try {
      const listener = createClient({ name: 'survivor', version: '1.0.0' }, { era: 'modern' });
      clients.push(listener);
      const markers = watchMarkers(listener);
      await listener.connect(createStreamableHttpClientTransport(`${proxy.origin}/mcp`));
      await listener.listening();
      const listenedOn = proxy.served.at(-1)!;

      const caller = createClient({ name: 'caller', version: '1.0.0' }, { era: 'modern' });
      clients.push(caller);
      await caller.connect(createStreamableHttpClientTransport(`${proxy.origin}/mcp`));
      // Steer the call to the node holding the listen stream: the kill then cuts both.
      while (proxy.served.length % nodes.length !== listenedOn) await caller.callTool('echo', { message: 'steer' });
      const progress: number[] = [];
      const call = caller.callTool('long_running_task', { task_name: 'interrupted', steps: 20, delay_ms: 50 }, { onProgress: (p) => progress.push(p.progress) });
      await waitFor(() => expect(progress.length).toBeGreaterThan(2));
      const victim = nodes[listenedOn]!;
      expect(proxy.served.at(-1)).toBe(listenedOn);
      const exited = new Promise((resolve) => victim.child.once('exit', resolve));
      process.kill(victim.child.pid!, 'SIGKILL');
      await exited;
      proxy.setUpstreams(nodes.filter((n) => n !== victim).map((n) => new URL(n.url).origin));

      const result = await call;
      expect(text(result)).toBe("Task 'interrupted' completed");
      // The listen stream that was on the victim is opened again on a live node: a broadcast from any node reaches it.
      await waitFor(async () => expect(text(await caller.callTool('list_sessions', {}))).toContain('survivor'), 20_000);
      expect(text(await caller.callTool('broadcast', { method: Marker.method, params: { n: 7 } }))).toBe('1');
      await waitFor(() => expect(markers).toContain(7));
    } finally {
      await Promise.all(clients.map((c) => c.close().catch(() => {})));
      await cluster.stop();
    }
  });
});
