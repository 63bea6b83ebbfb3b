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
import { startBalancedCluster, startClusterNode, type BalancedCluster, type ClusterNode } from './clusterNodes.js';
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

/**
 * Modern drivers on each node (a notification is made on a node the test
 * chooses) and three legacy listeners through the balancer, each hearing
 * markers on its GET stream; resolves once every listener heard marker 0.
 */
async function listen(cluster: BalancedCluster) {
  const { nodes, url } = cluster;
  const drivers = new Map<ClusterNode, Client>();
  for (const node of nodes) {
    const driver = createClient({ name: `driver-${node.id}`, version: '1.0.0' }, { era: 'modern' });
    await driver.connect(createStreamableHttpClientTransport(node.url));
    cleanups.push(() => driver.close());
    drivers.set(node, driver);
  }
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
  const target = (await homes(nodes, drivers)).get('tidings-listener')!;
  expect(target, 'the Tidings session is a recipient on one node').toBeDefined();
  // Every listener hears a first marker: its GET stream is open (or its events wait in the store for it).
  expect(text(await drivers.get(nodes[0]!)!.callTool('broadcast', { method: Marker.method, params: { n: 0 } }))).toBe('3');
  await waitFor(() => expect([...heard.values()].map((seen) => seen.at(-1))).toEqual([0, 0, 0]), 20_000);
  /** Odd markers are notified to the Tidings session, even ones broadcast; each made on one of `from`, in turn. */
  const mark = (n: number, from: readonly ClusterNode[]): Promise<string> => {
    const driver = drivers.get(from[n % from.length]!)!;
    const made = n % 2 === 1 ? driver.callTool('notify_session', { session_id: target.id, method: Marker.method, params: { n } }) : driver.callTool('broadcast', { method: Marker.method, params: { n } });
    return made.then(text);
  };
  /** Every listener heard each marker up to `last` (a broadcast: even) once, in order; the SDK ones hear only the broadcasts. */
  const allHeard = async (last: number): Promise<void> => {
    const all = Array.from({ length: last + 1 }, (_, n) => n);
    await (async () => {
      await waitFor(() => expect([...heard.values()].map((seen) => seen.at(-1))).toEqual([last, last, last]), 60_000);
      expect(heard.get('tidings-listener')).toEqual(all);
      for (const name of ['sdk-v1-listener', 'sdk-v2-listener']) expect(heard.get(name), name).toEqual(all.filter((n) => n % 2 === 0));
    })().catch((error: Error) => {
      // What the nodes reported is what tells why: it goes with the failure.
      const logs = nodes.map((node) => `${node.id}:\n${node.log.slice(-40).join('\n')}`).join('\n');
      throw new Error(`${error.message.slice(0, 2_000)}\nlast heard: ${[...heard].map(([name, seen]) => `${name} …${seen.slice(-5).join(',')}`).join('; ')}\n${logs}`);
    });
  };
  return { drivers, target, mark, allHeard };
}

describe('legacy GET streams through cuts and a kill -9 of the node holding one', () => {
  it('1,000 notifications from the other nodes reach each session once, in order, through 4 cuts and the kill; a call running on the killed node fails promptly', async () => {
    const cluster = await startBalancedCluster(inject('referenceServer'), ['faults-f', 'faults-g', 'faults-h']);
    cleanups.push(() => cluster.stop());
    const { nodes, proxy, url } = cluster;

    const { target, mark, allHeard, drivers } = await listen(cluster);

    /** The node holding the Tidings listener's GET stream now. */
    const holder = (): ClusterNode | undefined => {
      const origin = proxy.streams().find((s) => s.sessionId === target.id)?.origin;
      return nodes.find((n) => new URL(n.url).origin === origin);
    };
    // The kill is of the GET holder, not the session's home (the next test kills a home): a cut moves the stream on.
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

    for (let n = 1; n <= NOTIFICATIONS; n++) {
      const answer = await mark(n, survivors);
      // A broadcast reaches the three listeners, and the caller's session while its home lives.
      if (n % 2 === 1) expect(answer, `marker ${n}`).toBe('true');
      else expect(Number(answer), `marker ${n}`).toBeGreaterThanOrEqual(3);
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
    expect(await mark(NOTIFICATIONS + 1, survivors)).toBe('true');
    expect(Number(await mark(NOTIFICATIONS + 2, survivors))).toBeGreaterThanOrEqual(3);
    await allHeard(NOTIFICATIONS + 2);
    // The call that was running on the killed node did not hang: its resume was refused as gone (410).
    expect(await doomed).toMatch(/refused \(HTTP 410\)/);
  });
});

describe('legacy sessions through a kill -9 of their home', () => {
  it('1,000 notifications from the other nodes reach each session once, in order, through 4 cuts and the kill of the Tidings session\'s home', async () => {
    const cluster = await startBalancedCluster(inject('referenceServer'), ['home-a', 'home-b', 'home-c']);
    cleanups.push(() => cluster.stop());
    const { nodes, proxy } = cluster;
    const { target, mark, allHeard, drivers } = await listen(cluster);
    const victim = target.home;
    const survivors = nodes.filter((n) => n !== victim);
    let killedAt = 0;
    let cuts = 0;
    for (let n = 1; n <= NOTIFICATIONS; n++) {
      const answer = await mark(n, survivors);
      // Until the kill every answer is exact. After it, until a node takes the dead home's sessions over,
      // nobody delivers to them, and no answer says anybody did (they wait in the bus's log).
      if (!killedAt && n % 2 === 1) expect(answer, `marker ${n}`).toBe('true');
      if (!killedAt && n % 2 === 0) expect(Number(answer), `marker ${n}`).toBe(3);
      if (n % 200 !== 0) continue;
      cuts++;
      if (n === 400) {
        const exited = new Promise((resolve) => victim.child.once('exit', resolve));
        process.kill(victim.child.pid!, 'SIGKILL');
        await exited;
        killedAt = n;
        proxy.setUpstreams(survivors.map((s) => new URL(s.url).origin));
      } else {
        proxy.cutStreams();
      }
    }
    expect(cuts).toBe(5);
    // A survivor holding a listener's GET stream takes its home over once the dead node's signature lapses.
    await waitFor(async () => {
      const found = await homes(survivors, drivers);
      expect([...found.keys()].sort()).toEqual(['sdk-v1-listener', 'sdk-v2-listener', 'tidings-listener']);
    }, 30_000);
    // Then what is sent is delivered live and said so; what was sent meanwhile came from the log, before it.
    expect(await mark(NOTIFICATIONS + 1, survivors)).toBe('true');
    expect(Number(await mark(NOTIFICATIONS + 2, survivors))).toBe(3);
    await allHeard(NOTIFICATIONS + 2);
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
