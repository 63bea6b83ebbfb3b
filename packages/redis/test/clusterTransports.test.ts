import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createClient, type Client, type Transport } from '@tidings/protocol';
import { createSseClientTransport } from '@tidings/sse';
import { createStdioClientTransport } from '@tidings/stdio';
import { createStreamableHttpClientTransport } from '@tidings/streamable-http';
import { createWebSocketClientTransport } from '@tidings/websocket';
import { childEnv } from '../../../test-support/childProcess.js';
import { Marker, watchMarkers } from '../../../test-support/marker.js';
import { waitFor } from '../../../test-support/waitFor.js';
import { startClusterNode, type ClusterNode } from './clusterNodes.js';
import { redisForTests } from '../../../test-support/redisForTests.js';

const WATCHED = 'test://watched-resource';
const text = (result: { content: unknown }): string => ((result.content as Array<{ text: string }>)[0] ?? { text: '' }).text;

/** One client of the cluster, connected to its own node over one transport, and what reached it. */
interface Member {
  readonly name: string;
  readonly client: Client;
  readonly markers: number[];
  readonly logs: string[];
  readonly updates: string[];
}

/**
 * Each node a process of its own on another transport, all on one Redis:
 * what a node sends server-wide reaches the recipients of every transport on
 * every node, once, as each one's log level and subscriptions entitle it.
 */
describe('four server processes on one Redis, one per transport (WebSocket, HTTP+SSE, legacy Streamable HTTP, stdio)', () => {
  let redis: Awaited<ReturnType<typeof redisForTests>>;
  const nodes: ClusterNode[] = [];
  const members: Member[] = [];

  async function join(name: string, transport: Transport): Promise<Member> {
    const client = createClient({ name, version: '1.0.0' }, { era: 'legacy' });
    const member: Member = { name, client, markers: watchMarkers(client), logs: [], updates: [] };
    client.on('notifications/message', (params) => void member.logs.push(String(params.data)));
    client.on('notifications/resources/updated', (params) => void member.updates.push(params.uri));
    members.push(member);
    await client.connect(transport);
    return member;
  }

  beforeAll(async () => {
    redis = await redisForTests();
    const script = inject('referenceServer');
    nodes.push(...(await Promise.all(['websocket', 'sse', 'streamable-http'].map((t) => startClusterNode(script, redis.url, `node-${t}`, t)))));
    const [ws, sse, http] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    await join('ws', createWebSocketClientTransport(ws.url));
    await join('sse', createSseClientTransport(sse.url));
    await join('http', createStreamableHttpClientTransport(http.url));
    // The stdio node is the client's own child process, joined to the same cluster.
    const stdioArgs = [script, '--transport', 'stdio', '--redis', redis.url, '--node-id', 'node-stdio'];
    await join('stdio', createStdioClientTransport({ command: process.execPath, args: stdioArgs, env: childEnv, stderr: 'ignore' }));
  });

  afterAll(async () => {
    await Promise.all(members.map((m) => m.client.close().catch(() => {})));
    await Promise.all(nodes.map((n) => n.stop()));
    await redis?.stop();
  });

  /** Broadcasts marker `n` from `from`'s node and waits until every member has it: what that node sent before is in too. */
  async function settle(from: Member, n: number): Promise<void> {
    expect(await call(from, 'broadcast', { method: Marker.method, params: { n } })).toBe(String(members.length));
    await waitFor(() => {
      for (const m of members) expect(m.markers, m.name).toContain(n);
    }, 20_000);
  }

  const call = async (member: Member, tool: string, args: Record<string, unknown>): Promise<string> => text(await member.client.callTool(tool, args));
  const byName = (name: string): Member => members.find((m) => m.name === name)!;

  it('a broadcast made on any node reaches every transport on every node once, and is counted cluster-wide', async () => {
    for (const [i, from] of members.entries()) await settle(from, i + 1);
    for (const m of members) expect(m.markers, m.name).toEqual([1, 2, 3, 4]);
  });

  it('log levels and resource subscriptions set through one node decide what a notification from another node delivers', async () => {
    await byName('ws').client.setLogLevel('debug');
    await byName('sse').client.setLogLevel('error');
    await byName('http').client.setLogLevel('warning');
    await byName('stdio').client.setLogLevel('emergency');
    await byName('ws').client.subscribe(WATCHED);
    await byName('stdio').client.subscribe(WATCHED);

    // A warning made on the SSE node: debug and warning minimums take it; error and emergency do not.
    const log = { level: 'warning', data: 'disk almost full' };
    expect(await call(byName('sse'), 'broadcast', { method: 'notifications/message', params: log })).toBe('2');
    expect(await call(byName('http'), 'touch_resource', { uri: WATCHED })).toBe('2');
    expect(await call(byName('ws'), 'touch_resource', { uri: 'test://static-text' })).toBe('0');
    await settle(byName('sse'), 10);
    await settle(byName('http'), 11);
    await settle(byName('ws'), 12);
    expect(members.map((m) => [m.name, m.logs, m.updates])).toEqual([
      ['ws', ['disk almost full'], [WATCHED]],
      ['sse', [], []],
      ['http', ['disk almost full'], []],
      ['stdio', [], [WATCHED]],
    ]);
  });

  it('notify to one recipient reaches it from any node; an id no node holds is reported undelivered', async () => {
    const sessions = JSON.parse(await call(byName('http'), 'list_sessions', {})) as Array<{ id: string; client?: string }>;
    // list_sessions lists the whole cluster's recipients, whichever node answers.
    expect(sessions.map((s) => s.client).sort()).toEqual(['http', 'sse', 'stdio', 'ws']);
    const target = sessions.find((s) => s.client === 'stdio')!;
    for (const [i, from] of members.entries()) {
      expect(await call(from, 'notify_session', { session_id: target.id, method: Marker.method, params: { n: 100 + i } })).toBe('true');
    }
    expect(await call(byName('ws'), 'notify_session', { session_id: 'nobody', method: Marker.method, params: { n: 0 } })).toBe('false');
    await waitFor(() => expect(byName('stdio').markers.filter((n) => n >= 100)).toHaveLength(4), 20_000);
    await settle(byName('stdio'), 13);
    for (const m of members) expect(m.markers.filter((n) => n >= 100).sort((a, b) => a - b), m.name).toEqual(m.name === 'stdio' ? [100, 101, 102, 103] : []);
  });
});
