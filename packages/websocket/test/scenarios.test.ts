import { expectFastMcpScenario } from '../../../test-support/fastMcpScenario.js';
import type { LoggingLevel } from '@tidings/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { sendMarker, watchMarkers } from '../../../test-support/marker.js';
import { createDemoServer, StatusUpdate } from './helpers/demoServer.js';
import { closeAll, connectClient, ERAS, serve, waitFor } from './helpers/harness.js';

afterEach(closeAll);

describe.each(ERAS)('role scenarios over a real WebSocket (%s)', (era) => {
  it('runs the FastMCP long_running_task: 5 ordered progress notifications, 1..5 of each list_changed, the result', async () => {
    const server = createDemoServer();
    const endpoint = await serve(server);
    const client = await connectClient(endpoint.url, { era, onNotification: () => {} });
    await expectFastMcpScenario(client);
    expect(server.sessions()).toHaveLength(1);
    expect(server.sessions()[0]).toMatchObject({ era, transport: 'websocket' });
    expect(client.era).toBe(era);
  });

  it('broadcasts custom/status-update to every session; notify to an unknown id is false', async () => {
    const server = createDemoServer();
    const endpoint = await serve(server);
    const got: string[][] = [[], [], []];
    for (const inbox of got) {
      const client = await connectClient(endpoint.url, { era });
      client.on(StatusUpdate, (params) => inbox.push(params.status));
      await client.listening();
    }
    await waitFor(() => expect(server.sessions()).toHaveLength(3));

    expect(await server.broadcast(StatusUpdate, { status: 'ready' })).toBe(3);
    await waitFor(() => expect(got).toEqual([['ready'], ['ready'], ['ready']]));

    expect(await server.notify('no-such-session', StatusUpdate, { status: 'lost' })).toBe(false);
    const one = server.sessions()[1]!;
    expect(await server.notify(one.id, StatusUpdate, { status: 'only you' })).toBe(true);
    await waitFor(() => expect(got.filter((inbox) => inbox.includes('only you'))).toHaveLength(1));
  });

  it('sends resourceUpdated to the subscriber only', async () => {
    const server = createDemoServer();
    const endpoint = await serve(server);
    const updates = { subscriber: [] as string[], bystander: [] as string[] };
    const markers: number[][] = [];
    for (const who of ['subscriber', 'bystander'] as const) {
      const client = await connectClient(endpoint.url, { era });
      client.on('notifications/resources/updated', (params) => updates[who].push(params.uri));
      markers.push(watchMarkers(client));
      if (who === 'subscriber') await client.subscribe('test://watched');
      await client.listening();
    }
    await waitFor(() => expect(server.sessions()).toHaveLength(2));

    expect(await server.resourceUpdated('test://watched')).toBe(1);
    // One connection keeps its order: once the marker is in, an update sent before it would be too.
    expect(await sendMarker(server, markers)).toBe(2);
    expect(updates).toEqual({ subscriber: ['test://watched'], bystander: [] });
  });

  it('filters log messages by the level the client set', async () => {
    const server = createDemoServer();
    const endpoint = await serve(server);
    const client = await connectClient(endpoint.url, { era });
    const levels: LoggingLevel[] = [];
    client.on('notifications/message', (params) => levels.push(params.level));

    await client.callTool('log_levels');
    // Legacy: no level set means every message; modern: no logLevel on the request means none.
    expect(levels).toEqual(era === 'legacy' ? ['debug', 'info', 'warning', 'error'] : []);

    levels.length = 0;
    await client.setLogLevel('warning');
    await client.callTool('log_levels');
    expect(levels).toEqual(['warning', 'error']);
  });

  it('shrinks server.sessions() when the client ends its subscription or closes', async () => {
    const server = createDemoServer();
    const endpoint = await serve(server);
    const client = await connectClient(endpoint.url, { era });
    const off = client.on('notifications/tools/list_changed', () => {});
    await client.listening();
    await waitFor(() => expect(server.sessions()).toHaveLength(1));
    expect(server.sessions()[0]).toMatchObject({ era, kind: era === 'legacy' ? 'session' : 'listen', transport: 'websocket' });

    off();
    if (era === 'modern') {
      // The handler was the only reason for the listen subscription: the client cancels it.
      await waitFor(() => expect(server.sessions()).toHaveLength(0));
      expect(endpoint.connectionCount).toBe(1);
    } else {
      await client.close();
      await waitFor(() => expect(server.sessions()).toHaveLength(0));
    }
    await waitFor(() => expect(endpoint.connectionCount).toBe(era === 'modern' ? 1 : 0));
  });
});

describe('era negotiation over WebSocket', () => {
  it("finds the modern era with era: 'auto'", async () => {
    const endpoint = await serve(createDemoServer());
    const client = await connectClient(endpoint.url, { era: 'auto' });
    expect(client.era).toBe('modern');
    const result = await client.callTool('long_running_task', { task_name: 'auto', steps: 1 });
    expect(result.content).toEqual([{ type: 'text', text: "Task 'auto' completed" }]);
  });

  it('serves a legacy and a modern client on the same endpoint at once', async () => {
    const server = createDemoServer();
    const endpoint = await serve(server);
    const legacy = await connectClient(endpoint.url, { era: 'legacy' });
    const modern = await connectClient(endpoint.url, { era: 'modern' });
    const got: string[] = [];
    legacy.on(StatusUpdate, (p) => got.push(`legacy:${p.status}`));
    modern.on(StatusUpdate, (p) => got.push(`modern:${p.status}`));
    await modern.listening();
    await waitFor(() => expect(server.sessions()).toHaveLength(2));
    expect(await server.broadcast(StatusUpdate, { status: 'both' })).toBe(2);
    await waitFor(() => expect(got.sort()).toEqual(['legacy:both', 'modern:both']));
  });
});
