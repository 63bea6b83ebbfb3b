import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectServers, type ConnectedServers, type ServerNotification } from '@tidings/client';
import type { CallToolResult, Progress } from '@tidings/protocol';
import type { ServerProcess } from '../../../test-support/childProcess.js';
import { waitFor } from '../../../test-support/waitFor.js';
import { childEnv, startReference, stdioReferenceEntry } from './helpers/referenceServers.js';

// The reference server over every transport at once: stdio (started by the pool), Streamable
// HTTP pinned to each era, the legacy HTTP+SSE transport, and WebSocket (era found by probing).
let network: Record<'http' | 'modern' | 'sse' | 'ws', ServerProcess>;
beforeAll(async () => {
  const [http, modern, sse, ws] = await Promise.all([
    startReference('streamable-http'),
    startReference('streamable-http'),
    startReference('sse'),
    startReference('websocket'),
  ]);
  network = { http: http!, modern: modern!, sse: sse!, ws: ws! };
});
afterAll(async () => {
  await Promise.all(Object.values(network ?? {}).map((server) => server.stop()));
});

const NAMES = ['stdio', 'http-legacy', 'http-modern', 'sse', 'ws'] as const;
const config = () => ({
  mcpServers: {
    stdio: stdioReferenceEntry(),
    'http-legacy': { url: network.http.url, era: 'legacy' },
    'http-modern': { type: 'http', url: network.modern.url, era: 'modern' },
    sse: { type: 'sse', url: network.sse.url },
    ws: { url: network.ws.url },
  },
});

let pool: ConnectedServers | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

const text = (result: CallToolResult): string => (result.content[0] as { text: string }).text;
const fromEach = (seen: readonly ServerNotification[], method: string) => new Set(seen.filter((n) => n.method === method).map((n) => n.server));

describe('one pool over stdio, Streamable HTTP (both eras), HTTP+SSE and WebSocket', () => {
  it("one default handler sees every server's notifications, tagged with the server's name", async () => {
    const seen: ServerNotification[] = [];
    pool = await connectServers(config(), { env: childEnv, onNotification: (n) => seen.push(n) });
    expect(pool.failures).toEqual([]);
    expect(pool.names).toEqual(NAMES);
    expect(pool.state('http-legacy')).toMatchObject({ kind: 'ready', era: 'legacy', protocolVersion: '2025-11-25' });
    expect(pool.state('http-modern')).toMatchObject({ kind: 'ready', era: 'modern', protocolVersion: '2026-07-28' });
    expect(pool.state('sse')).toMatchObject({ kind: 'ready', era: 'legacy' });
    expect(pool.state('stdio')).toMatchObject({ kind: 'ready', serverInfo: { name: 'tidings-reference-server' }, pid: expect.any(Number) });

    for (const name of NAMES) {
      // A modern server only sends list changes on the listen stream, open once this resolves.
      await pool.get(name).listening();
      expect(text(await pool.get(name).callTool('add_tool', { name: `added_by_${name.replace('-', '_')}` }))).toMatch(/^added /);
    }
    await waitFor(() => expect(fromEach(seen, 'notifications/tools/list_changed')).toEqual(new Set(NAMES)), 15_000);
  });

  it("a per-server handler wins over the default for that server's notifications", async () => {
    const defaults: ServerNotification[] = [];
    const own: ServerNotification[] = [];
    pool = await connectServers(config(), {
      env: childEnv,
      onNotification: (n) => defaults.push(n),
      servers: { ws: { onNotification: (n) => own.push(n) } },
    });
    await pool.get('ws').listening();
    await pool.get('ws').callTool('add_tool', { name: 'override_check' });
    await waitFor(() => expect(fromEach(own, 'notifications/tools/list_changed')).toEqual(new Set(['ws'])));
    // Each notification goes to exactly one of the two, synchronously on arrival: the default never got it.
    expect(defaults.filter((n) => n.server === 'ws')).toEqual([]);
    await pool.get('sse').callTool('add_tool', { name: 'override_check' });
    await waitFor(() => expect(fromEach(defaults, 'notifications/tools/list_changed')).toEqual(new Set(['sse'])));
    expect(own.every((n) => n.server === 'ws')).toBe(true);
  });

  it('on(method) handles a custom notification of every server, with its name, in both eras', async () => {
    pool = await connectServers(config(), { env: childEnv });
    const heard: Array<[string, unknown]> = [];
    const off = pool.on('custom/hello', (params, { server }) => heard.push([server, params.from]));
    for (const name of NAMES) {
      // The modern listen filter names the custom method once this resolves.
      await pool.get(name).listening();
      await pool.get(name).callTool('broadcast', { method: 'custom/hello', params: { from: name } });
    }
    await waitFor(() => expect(new Set(heard)).toEqual(new Set(NAMES.map((name) => [name, name]))));
    off();
  });

  it('progress and logs of a long-running task reach the caller and the default handler in both eras', async () => {
    const logs: ServerNotification[] = [];
    pool = await connectServers(config(), { env: childEnv, onNotification: (n) => n.method === 'notifications/message' && logs.push(n) });
    expect(await pool.setLogLevel('debug')).toEqual([]);
    await Promise.all(
      NAMES.map(async (name) => {
        const progress: Progress[] = [];
        const result = await pool!.get(name).callTool('long_running_task', { task_name: name, steps: 3 }, { onProgress: (p) => progress.push(p) });
        expect(text(result)).toBe(`Task '${name}' completed`);
        expect(progress.map((p) => [p.progress, p.message])).toEqual([[1 / 3, 'Step 1/3'], [2 / 3, 'Step 2/3'], [1, 'Step 3/3']]);
      }),
    );
    // Every log of a request arrives before its response (PROTOCOL.md §progress): no waiting needed.
    for (const name of NAMES) {
      const own = logs.filter((n) => n.server === name).map((n) => n.params?.data);
      expect(own).toEqual([1, 2, 3].map((step) => `Task '${name}': completed step ${step}/3`));
    }
  });

  it('roots are set once for every server, and replaced once for every server', async () => {
    pool = await connectServers(config(), { env: childEnv, roots: [{ uri: 'file:///work/project', name: 'project' }] });
    for (const name of NAMES) {
      expect(JSON.parse(text(await pool.get(name).callTool('list_roots')))).toEqual([{ uri: 'file:///work/project', name: 'project' }]);
    }
    expect(await pool.setRoots([{ uri: 'file:///work/other' }])).toEqual([]);
    for (const name of NAMES) {
      expect(JSON.parse(text(await pool.get(name).callTool('list_roots')))).toEqual([{ uri: 'file:///work/other' }]);
    }
  });

  it('a resource subscription made once reaches every server', async () => {
    const updates: ServerNotification[] = [];
    pool = await connectServers(config(), { env: childEnv, onNotification: (n) => updates.push(n) });
    expect(await pool.subscribe('test://watched-resource')).toEqual([]);
    for (const name of NAMES) {
      await pool.get(name).listening();
      expect(text(await pool.get(name).callTool('touch_resource', { uri: 'test://watched-resource' }))).toBe('1');
    }
    await waitFor(() => expect(fromEach(updates, 'notifications/resources/updated')).toEqual(new Set(NAMES)));
    expect(updates.find((n) => n.method === 'notifications/resources/updated')?.params).toMatchObject({ uri: 'test://watched-resource' });
  });
});
