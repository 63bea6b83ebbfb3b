import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StreamableHTTPClientTransport as V2Transport } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createClient, type Client } from '@tidings/protocol';
import { createStreamableHttpClientTransport } from '@tidings/streamable-http';
import { createSdkV1Driver } from '../../../test-conformance/src/drivers/sdkV1Client.js';
import { createSdkV2Driver } from '../../../test-conformance/src/drivers/sdkV2Client.js';
import type { ScenarioClient } from '../../../test-conformance/src/types.js';
import { Marker } from '../../../test-support/marker.js';
import { waitFor } from '../../../test-support/waitFor.js';
import { startBalancedCluster, startClusterNode, type ClusterNode } from './clusterNodes.js';
import { startRoundRobinProxy } from '../../../test-support/roundRobinProxy.js';
import { startRedisServer } from '../../../test-support/redisServer.js';

const text = (result: { content: unknown }): string => ((result.content as Array<{ text: string }>)[0] ?? { text: '' }).text;
const NOTIFICATIONS = 1_000;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

/** Where each legacy session lives: its home (the node listing it as a recipient). */
async function homes(nodes: readonly ClusterNode[], drivers: ReadonlyMap<ClusterNode, Client>): Promise<Map<string, { id: string; home: ClusterNode }>> {
  const found = new Map<string, { id: string; home: ClusterNode }>();
  for (const node of nodes) {
    const listed = JSON.parse(text(await drivers.get(node)!.callTool('list_sessions', { here: true }))) as Array<{ id: string; client?: string }>;
    for (const { id, client } of listed) if (client) found.set(client, { id, home: node });
  }
  return found;
}

describe('legacy GET streams through cuts and a kill -9 of the node holding one', () => {
  it('1,000 notifications from the other nodes reach each session once, in order, through 4 cuts and the kill; a call running on the killed node fails promptly', async () => {
    const cluster = await startBalancedCluster(inject('referenceServer'), ['faults-f', 'faults-g', 'faults-h']);
    cleanups.push(() => cluster.stop());
    const { nodes, proxy, url } = cluster;

    // Drivers talk to one node each, directly: a notification is made on a node the test chooses.
    const drivers = new Map<ClusterNode, Client>();
    for (const node of nodes) {
      const driver = createClient({ name: `driver-${node.id}`, version: '1.0.0' }, { era: 'modern' });
      await driver.connect(createStreamableHttpClientTransport(node.url));
      cleanups.push(() => driver.close());
      drivers.set(node, driver);
    }

    // Three legacy listeners through the balancer, each hearing markers on its GET stream.
    const tidings = createClient({ name: 'tidings-listener', version: '1.0.0' }, { era: 'legacy' });
    await tidings.connect(createStreamableHttpClientTransport(url));
    const listeners: Array<[string, ScenarioClient]> = [
      ['tidings-listener', tidings],
      ['sdk-v1-listener', await createSdkV1Driver(new V1Transport(new URL(url)), { era: 'legacy', name: 'sdk-v1-listener' })],
      ['sdk-v2-listener', await createSdkV2Driver(new V2Transport(new URL(url)), { era: 'legacy', name: 'sdk-v2-listener' })],
    ];
    const heard = new Map<string, number[]>();
    for (const [name, client] of listeners) {
      cleanups.push(() => client.close());
      heard.set(name, []);
      client.on(Marker, ({ n }) => void heard.get(name)!.push(n));
    }
    const sessions = await homes(nodes, drivers);
    const target = sessions.get('tidings-listener')!;
    expect(target, 'the Tidings session is a recipient on one node').toBeDefined();
    // Every listener hears a first marker: its GET stream is open (or its events wait in the store for it).
    expect(text(await drivers.get(nodes[0]!)!.callTool('broadcast', { method: Marker.method, params: { n: 0 } }))).toBe('3');
    await waitFor(() => expect([...heard.values()].map((seen) => seen.at(-1))).toEqual([0, 0, 0]), 20_000);

    /** The node holding the Tidings listener's GET stream now. */
    const holder = (): ClusterNode | undefined => {
      const origin = proxy.streams().find((s) => s.sessionId === target.id)?.origin;
      return nodes.find((n) => new URL(n.url).origin === origin);
    };
    // The kill is of the GET holder, not the session's home: a node that dies holding homes loses what is sent
    // to them until another node takes them over (PROTOCOL.md §shared-sessions). A cut moves the stream on.
    let cuts = 0;
    let victim: ClusterNode | undefined;
    for (let tries = 0; tries < 5; tries++) {
      await waitFor(() => expect(holder()).toBeDefined(), 20_000);
      victim = holder()!;
      if (victim !== target.home) break;
      proxy.cutStreams();
      cuts++;
      victim = undefined;
    }
    if (!victim) throw new Error('the GET stream kept landing on the session\'s home');
    const survivors = nodes.filter((n) => n !== victim);

    // A call steered onto the victim, running when it dies.
    const caller = createClient({ name: 'caller', version: '1.0.0' }, { era: 'legacy' });
    cleanups.push(() => caller.close());
    await caller.connect(createStreamableHttpClientTransport(url));
    // Every legacy client's GET stream is open (the three listeners' and the caller's): no reconnect takes the victim's turn.
    await waitFor(() => expect(proxy.streams()).toHaveLength(4), 20_000);
    const victimOrigin = new URL(victim.url).origin;
    for (let i = 0; i < nodes.length && proxy.nextOrigin() !== victimOrigin; i++) await caller.callTool('echo', { message: 'steer' });
    expect(proxy.nextOrigin(), 'the next request goes to the victim').toBe(victimOrigin);
    const progress: number[] = [];
    const doomed = caller.callTool('long_running_task', { task_name: 'doomed', steps: 200, delay_ms: 50 }, { onProgress: (p) => progress.push(p.progress) }).then(
      () => 'completed',
      (error: unknown) => String(error),
    );
    await waitFor(() => expect(progress.length).toBeGreaterThan(1));

    // Odd markers are notified to the Tidings session, even ones broadcast; each made on a survivor, in turn.
    for (let n = 1; n <= NOTIFICATIONS; n++) {
      const from = drivers.get(survivors[n % 2]!)!;
      const answer = n % 2 === 1 ? await from.callTool('notify_session', { session_id: target.id, method: Marker.method, params: { n } }) : await from.callTool('broadcast', { method: Marker.method, params: { n } });
      // A broadcast reaches the three listeners, and the caller's session while its home lives.
      if (n % 2 === 1) expect(text(answer), `marker ${n}`).toBe('true');
      else expect(Number(text(answer)), `marker ${n}`).toBeGreaterThanOrEqual(3);
      if (n % 200 !== 0 || cuts >= 5) continue;
      cuts++;
      if (n === 400) {
        const exited = new Promise((resolve) => victim.child.once('exit', resolve));
        process.kill(victim.child.pid!, 'SIGKILL');
        await exited;
        proxy.setUpstreams(survivors.map((s) => new URL(s.url).origin));
      } else {
        proxy.cutStreams();
      }
    }
    expect(cuts).toBeGreaterThanOrEqual(5);
    expect(Number(text(await drivers.get(survivors[0]!)!.callTool('broadcast', { method: Marker.method, params: { n: NOTIFICATIONS + 1 } })))).toBeGreaterThanOrEqual(3);
    await waitFor(() => expect([...heard.values()].map((seen) => seen.at(-1))).toEqual([NOTIFICATIONS + 1, NOTIFICATIONS + 1, NOTIFICATIONS + 1]), 60_000);

    const all = Array.from({ length: NOTIFICATIONS + 2 }, (_, n) => n);
    expect(heard.get('tidings-listener')).toEqual(all);
    for (const name of ['sdk-v1-listener', 'sdk-v2-listener']) expect(heard.get(name), name).toEqual(all.filter((n) => n % 2 === 0 || n === NOTIFICATIONS + 1));
    // The call that was running on the killed node did not hang: its resume was refused as gone (410).
    expect(await doomed).toMatch(/refused \(HTTP 410\)/);
  });
});

describe('legacy sessions through a Redis restart', () => {
  it('while Redis is away a request is refused 503 (not 404: the session may well exist); a Redis back empty lost the session, and the client opens a new one', async () => {
    const redis = await startRedisServer();
    cleanups.push(() => redis.stop());
    const nodes = await Promise.all(['r1', 'r2'].map((id) => startClusterNode(inject('referenceServer'), redis.url, id)));
    cleanups.push(() => Promise.all(nodes.map((n) => n.stop())));
    const proxy = await startRoundRobinProxy(nodes.map((n) => new URL(n.url).origin));
    cleanups.push(() => proxy.close());
    const client = createClient({ name: 'through-restart', version: '1.0.0' }, { era: 'legacy' });
    cleanups.push(() => client.close());
    await client.connect(createStreamableHttpClientTransport(`${proxy.origin}/mcp`));
    const echo = async (message: string): Promise<string> => text(await client.callTool('echo', { message }));
    expect([await echo('one'), await echo('two')]).toEqual(['one', 'two']);
    // The session the client holds: the one its GET stream names.
    const session = (): string | undefined => proxy.streams()[0]?.sessionId;
    await waitFor(() => expect(session()).toBeDefined());
    const sessionBefore = session();

    await redis.kill();
    // What the client saw while Redis was away: its calls refused with 503, the session not declared gone.
    const during = await client.callTool('echo', { message: 'away' }).then(
      () => 'answered',
      (error: unknown) => String(error),
    );
    expect(during).toMatch(/HTTP 503: .*session store did not answer/);

    // What each side saw after: Redis kept nothing (no persistence), so the nodes answer 404 and the client starts a new session.
    await redis.start();
    await waitFor(async () => expect(await echo('back')).toBe('back'), 20_000);
    await waitFor(() => expect(session()).toBeDefined());
    expect(session()).not.toBe(sessionBefore);
  });
});
