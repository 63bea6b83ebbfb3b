import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNotification, type Client } from '@tidings/protocol';
import { sendMarker, watchMarkers } from '../../../../test-support/marker.js';
import { createDemoServer } from '../helpers/demoServer.js';
import { closeAll, connectHttpClient, ERAS, startHttp, waitFor } from '../helpers/harness.js';

afterEach(closeAll);

const Status = defineNotification('custom/status', z.object({ status: z.string() }));

describe.each(ERAS)('server-initiated notifications over Streamable HTTP (%s)', (era) => {
  it('a custom broadcast reaches every session, and notify to an unknown id resolves false', async () => {
    const server = createDemoServer();
    const http = await startHttp(server);
    const received: string[][] = [[], []];
    const clients: Client[] = [];
    for (const inbox of received) {
      const client = await connectHttpClient(http.url, { era });
      client.on(Status, (params) => inbox.push(params.status));
      await client.listening();
      clients.push(client);
    }
    await waitFor(() => expect(server.sessions()).toHaveLength(2));
    expect(server.sessions().every((s) => s.era === era && s.transport === 'streamable-http')).toBe(true);
    expect(await server.broadcast(Status, { status: 'ready' })).toBe(2);
    await waitFor(() => expect(received).toEqual([['ready'], ['ready']]));
    expect(await server.notify('no-such-session', Status, { status: 'lost' })).toBe(false);
    const [first] = server.sessions();
    expect(await server.notify(first!.id, Status, { status: 'only-one' })).toBe(true);
    await waitFor(() => expect(received.flat().filter((s) => s === 'only-one')).toHaveLength(1));
  });

  it('resources/updated reaches the subscribers of that uri only', async () => {
    const server = createDemoServer();
    const http = await startHttp(server);
    const updates = { watcher: [] as string[], other: [] as string[] };
    const watcher = await connectHttpClient(http.url, { era });
    watcher.on('notifications/resources/updated', (p) => updates.watcher.push(p.uri));
    const markers = [watchMarkers(watcher)];
    await watcher.subscribe('test://watched');
    await watcher.listening();
    const other = await connectHttpClient(http.url, { era });
    other.on('notifications/resources/updated', (p) => updates.other.push(p.uri));
    markers.push(watchMarkers(other));
    await other.subscribe('test://other');
    await other.listening();
    await waitFor(() => expect(server.sessions()).toHaveLength(2));
    expect(await server.resourceUpdated('test://watched')).toBe(1);
    await waitFor(() => expect(updates.watcher).toEqual(['test://watched']));
    expect(await server.resourceUpdated('test://other')).toBe(1);
    await waitFor(() => expect(updates.other).toEqual(['test://other']));
    // Each recipient's stream keeps its order: once the marker is in, an update sent before it would be too.
    expect(await sendMarker(server, markers)).toBe(2);
    expect(updates).toEqual({ watcher: ['test://watched'], other: ['test://other'] });
  });
});

describe('logging over Streamable HTTP', () => {
  const collect = (client: Client): string[] => {
    const lines: string[] = [];
    client.on('notifications/message', (p) => lines.push(`${p.level}:${String(p.data)}`));
    return lines;
  };

  it('legacy: every level until logging/setLevel, then that level and above, on the request stream', async () => {
    const http = await startHttp(createDemoServer());
    const client = await connectHttpClient(http.url, { era: 'legacy' });
    const lines = collect(client);
    await client.callTool('log_levels');
    expect(lines).toEqual(['debug:debug line', 'info:info line', 'warning:warning line']);
    await client.setLogLevel('info');
    await client.callTool('log_levels');
    expect(lines.slice(3)).toEqual(['info:info line', 'warning:warning line']);
  });

  it('modern: no log without a logLevel on the request, then that level and above', async () => {
    const http = await startHttp(createDemoServer());
    const client = await connectHttpClient(http.url, { era: 'modern' });
    const lines = collect(client);
    await client.callTool('log_levels');
    expect(lines).toEqual([]);
    await client.setLogLevel('info');
    await client.callTool('log_levels');
    expect(lines).toEqual(['info:info line', 'warning:warning line']);
  });
});
