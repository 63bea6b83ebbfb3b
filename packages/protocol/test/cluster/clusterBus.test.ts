import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createMemoryClusterBus, type ClusterBus } from '../../src/cluster/clusterBus.js';
import { defineNotification } from '../../src/defineNotification.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import type { Server } from '../../src/server/createServer.js';
import { createDemoServer } from '../helpers/demoServer.js';
import { closeAll, connectClient, ERAS, waitFor } from '../helpers/pair.js';

const Status = defineNotification('custom/status', z.object({ status: z.string() }));

const nodes: Server[] = [];
let nodeCount = 0;
afterEach(async () => {
  await closeAll();
  await Promise.all(nodes.splice(0).map((n) => n.close()));
});

/** `count` servers on one bus, joined before the test goes on. */
async function cluster(count: number, bus: ClusterBus = createMemoryClusterBus(), onDiagnostic?: (d: Diagnostic) => void): Promise<Server[]> {
  const made = Array.from({ length: count }, () => createDemoServer({ cluster: { bus, nodeId: `node-${++nodeCount}` }, ...(onDiagnostic ? { onDiagnostic } : {}) }));
  nodes.push(...made);
  await Promise.all(made.map((n) => n.cluster!.joined));
  return made;
}

describe.each(ERAS)('a cluster of nodes on one bus (%s)', (era) => {
  it('a broadcast on any node reaches every node’s recipients once, and counts them all', async () => {
    const servers = await cluster(3);
    const inboxes = await Promise.all(
      servers.map(async (server) => {
        const inbox: string[] = [];
        const client = await connectClient(server, { era });
        client.on(Status, (p) => inbox.push(p.status));
        await client.listening();
        return inbox;
      }),
    );
    expect(await servers[1]!.broadcast(Status, { status: 'one' })).toBe(3);
    expect(await servers[2]!.broadcast(Status, { status: 'two' })).toBe(3);
    await waitFor(() => expect(inboxes).toEqual([['one', 'two'], ['one', 'two'], ['one', 'two']]));
  });

  it('notify reaches a recipient held by another node, and only it; an unknown id is false after every node answered', async () => {
    const [a, b] = await cluster(2);
    const got: string[] = [];
    const other: string[] = [];
    const client = await connectClient(b!, { era });
    client.on(Status, (p) => got.push(p.status));
    await client.listening();
    const bystander = await connectClient(b!, { era });
    bystander.on(Status, (p) => other.push(p.status));
    await bystander.listening();
    const [target] = b!.sessions();
    expect(await a!.notify(target!.id, Status, { status: 'for you' })).toBe(true);
    expect(await a!.notify('nobody', Status, { status: 'lost' })).toBe(false);
    await waitFor(() => expect([...got, ...other]).toEqual(['for you']));
  });

  it('resource updates reach only the subscribers on every node', async () => {
    const [a, b] = await cluster(2);
    const subscribed: string[] = [];
    const unsubscribed: string[] = [];
    const sub = await connectClient(b!, { era });
    sub.on('notifications/resources/updated', (p) => subscribed.push(p.uri));
    await sub.subscribe('test://watched');
    await sub.listening();
    const not = await connectClient(b!, { era });
    not.on('notifications/resources/updated', (p) => unsubscribed.push(p.uri));
    await not.listening();
    expect(await a!.resourceUpdated('test://watched')).toBe(1);
    await waitFor(() => expect(subscribed).toEqual(['test://watched']));
    expect(unsubscribed).toEqual([]);
  });

  it('list_changed sent on one node reaches clients of the others', async () => {
    const [a, b] = await cluster(2);
    let changed = 0;
    const client = await connectClient(b!, { era });
    client.on('notifications/tools/list_changed', () => void changed++);
    await client.listening();
    a!.tool({ name: 'late', input: z.object({}) }, () => 'late');
    await waitFor(() => expect(changed).toBe(1));
  });

  it('clusterSessions lists the recipients of every node; sessions() this node’s only', async () => {
    const [a, b, c] = await cluster(3);
    for (const node of [b!, c!]) {
      const client = await connectClient(node, { era });
      client.on(Status, () => {});
      await client.listening();
    }
    expect(a!.sessions()).toEqual([]);
    const all = await a!.clusterSessions();
    expect(all.map((s) => s.id).sort()).toEqual([...b!.sessions(), ...c!.sessions()].map((s) => s.id).sort());
    expect(all).toHaveLength(2);
    expect(all.every((s) => s.era === era && s.clientInfo?.name === 'test-client')).toBe(true);
  });

  it('a filtered broadcast stays on its node (a function cannot cross)', async () => {
    const [a, b] = await cluster(2);
    const remote: string[] = [];
    const client = await connectClient(b!, { era });
    client.on(Status, (p) => remote.push(p.status));
    await client.listening();
    expect(await a!.broadcast(Status, { status: 'filtered' }, { filter: () => true })).toBe(0);
    expect(await a!.broadcast(Status, { status: 'open' })).toBe(1);
    await waitFor(() => expect(remote).toEqual(['open']));
  });
});

describe('a cluster when the bus fails', () => {
  it('a failed publish counts this node’s recipients only and is reported', async () => {
    const failing: ClusterBus = {
      publish: () => Promise.reject(new Error('bus down')),
      subscribe: async () => async () => {},
    };
    const diagnostics: Diagnostic[] = [];
    const [node] = await cluster(1, failing, (d) => diagnostics.push(d));
    const client = await connectClient(node!, { era: 'legacy' });
    client.on(Status, () => {});
    expect(await node!.broadcast(Status, { status: 'x' })).toBe(1);
    expect(diagnostics).toContainEqual(expect.objectContaining({ kind: 'cluster-error', step: 'publish' }));
  });

  it('a node that never answers is counted as none once the wait is over, and the wait is reported', async () => {
    const bus = createMemoryClusterBus();
    const diagnostics: Diagnostic[] = [];
    // A subscriber that hears everything and answers nothing, as a node stuck in a long task would.
    await bus.subscribe('tidings:all', () => {});
    const node = createDemoServer({ cluster: { bus, countTimeoutMs: 20 }, onDiagnostic: (d) => diagnostics.push(d) });
    nodes.push(node);
    await node.cluster!.joined;
    expect(await node.broadcast(Status, { status: 'x' })).toBe(0);
    expect(diagnostics).toContainEqual(expect.objectContaining({ kind: 'cluster-error', step: 'count' }));
  });

  it('a bus that refuses to subscribe is retried until it accepts', async () => {
    let refusals = 2;
    const inner = createMemoryClusterBus();
    const flaky: ClusterBus = {
      publish: (channel, message) => inner.publish(channel, message),
      subscribe: (channel, listener) => (refusals-- > 0 ? Promise.reject(new Error('not yet')) : inner.subscribe(channel, listener)),
    };
    const diagnostics: Diagnostic[] = [];
    const [node, peer] = [...(await cluster(1, flaky, (d) => diagnostics.push(d))), ...(await cluster(1, inner))];
    expect(diagnostics.filter((d) => d.kind === 'cluster-error' && d.step === 'subscribe').length).toBeGreaterThan(0);
    const inbox: string[] = [];
    const client = await connectClient(node!, { era: 'legacy' });
    client.on(Status, (p) => inbox.push(p.status));
    expect(await peer!.broadcast(Status, { status: 'after retries' })).toBe(1);
    await waitFor(() => expect(inbox).toEqual(['after retries']));
  });

  it('a closed server stops retrying its bus', async () => {
    vi.useFakeTimers();
    try {
      let attempts = 0;
      const never: ClusterBus = { publish: async () => 0, subscribe: () => (attempts++, Promise.reject(new Error('never'))) };
      const node = createDemoServer({ cluster: { bus: never }, onDiagnostic: () => {} });
      await vi.advanceTimersByTimeAsync(300);
      const before = attempts;
      expect(before).toBeGreaterThan(2);
      await node.close();
      await vi.advanceTimersByTimeAsync(120_000);
      expect(attempts).toBe(before);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('the in-memory bus log', () => {
  it('keeps at least its length, in order, and a read from before what it dropped says there is a gap', async () => {
    const bus = createMemoryClusterBus({ logLength: 8 });
    const heard: Array<string | undefined> = [];
    await bus.subscribe('c', (_message, entry) => heard.push(entry));
    for (let i = 0; i < 20; i++) await bus.log!.publish('c', `m${i}`);
    await waitFor(() => expect(heard).toHaveLength(20));
    const all = await bus.log!.read('c', '0-0', 100);
    expect(all.gap).toBe(true);
    expect(all.entries.length).toBeGreaterThanOrEqual(8);
    expect(all.entries.map((e) => e.message)).toEqual(Array.from({ length: all.entries.length }, (_, i) => `m${20 - all.entries.length + i}`));
    // Subscribers got each message with the id the log keeps it under.
    expect(heard.slice(-all.entries.length)).toEqual(all.entries.map((e) => e.id));
    const recent = await bus.log!.read('c', all.entries.at(-3)!.id, 100);
    expect(recent).toEqual({ entries: all.entries.slice(-2), gap: false });
    expect(await bus.log!.read('other', '0-0', 10)).toEqual({ entries: [], gap: false });
  });
});
