import { expectFastMcpScenario } from '../../../test-support/fastMcpScenario.js';
import type { Root, SessionInfo } from '@tidings/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoServer, StatusUpdate } from './helpers/demoServer.js';
import { closeAll, connectSse as connectAny, ERAS, startSse, waitFor } from './helpers/harness.js';

afterEach(closeAll);

/** Connects and checks that negotiation ended in the legacy era, the only one HTTP+SSE carries. */
async function connectSse(...args: Parameters<typeof connectAny>): ReturnType<typeof connectAny> {
  const connected = await connectAny(...args);
  expect(connected.client.era).toBe('legacy');
  return connected;
}

describe.each(ERAS)('legacy-era roles over HTTP+SSE (client era %s)', (era) => {
  it('runs the FastMCP long_running_task scenario: 5 ordered progress, 1..5 of each list_changed, the result', async () => {
    const server = createDemoServer();
    const { url } = await startSse(server);
    const { client } = await connectSse(url, { era });
    await expectFastMcpScenario(client);
  });

  it('broadcasts a custom notification to every session, notifies one by id and answers false for an unknown id', async () => {
    const server = createDemoServer();
    const { url } = await startSse(server);
    const peers = await Promise.all([0, 1, 2].map(() => connectSse(url, { era })));
    const received = peers.map(() => [] as string[]);
    peers.forEach(({ client }, i) => client.on(StatusUpdate, (p) => received[i]!.push(p.status)));

    expect(await server.broadcast(StatusUpdate, { status: 'ready' })).toBe(3);
    await waitFor(() => expect(received).toEqual([['ready'], ['ready'], ['ready']]));

    const target = peers[1]!.transport.sessionId!;
    expect(await server.notify(target, StatusUpdate, { status: 'just you' })).toBe(true);
    await waitFor(() => expect(received[1]).toEqual(['ready', 'just you']));
    expect(await server.notify('no-such-session', StatusUpdate, { status: 'lost' })).toBe(false);
    await Promise.all(peers.map(({ client }) => client.ping()));
    expect(received).toEqual([['ready'], ['ready', 'just you'], ['ready']]);
  });

  it('lists exactly the live sessions, and the list shrinks when a client closes', async () => {
    const server = createDemoServer();
    const closedIds: string[] = [];
    server.onSessionClosed((s) => closedIds.push(s.id));
    const { url } = await startSse(server);
    const peers = await Promise.all([0, 1, 2].map(() => connectSse(url, { era })));
    const ids = peers.map((p) => p.transport.sessionId!);
    const listed = (): SessionInfo[] => server.sessions();
    expect(listed().map((s) => s.id).sort()).toEqual([...ids].sort());
    for (const session of listed()) {
      expect(session).toMatchObject({ era: 'legacy', kind: 'session', transport: 'sse', clientInfo: { name: 'test-client' } });
    }

    await peers[0]!.client.close();
    await waitFor(() => expect(listed().map((s) => s.id).sort()).toEqual([ids[1], ids[2]].sort()));
    expect(closedIds).toEqual([ids[0]]);
  });

  it('sends resources/updated only to the sessions subscribed to that uri', async () => {
    const server = createDemoServer();
    const { url } = await startSse(server);
    const [a, b] = await Promise.all([connectSse(url, { era }), connectSse(url, { era })]);
    const updates = { a: [] as string[], b: [] as string[] };
    a.client.on('notifications/resources/updated', (p) => updates.a.push(p.uri));
    b.client.on('notifications/resources/updated', (p) => updates.b.push(p.uri));
    await a.client.subscribe('test://watched');
    await b.client.subscribe('test://other');

    expect(await server.resourceUpdated('test://watched')).toBe(1);
    await waitFor(() => expect(updates.a).toEqual(['test://watched']));
    // Anything sent to b before resourceUpdated resolved would precede this answer on b's stream.
    await b.client.ping();
    expect(updates.b).toEqual([]);
  });

  it('filters log messages by the level the client set', async () => {
    const server = createDemoServer();
    const { url } = await startSse(server);
    const { client } = await connectSse(url, { era });
    const logs: string[] = [];
    client.on('notifications/message', (p) => logs.push(`${p.level}:${String(p.data)}`));
    await client.setLogLevel('warning');
    await client.callTool('log_levels');
    // Logs travel before the response on the same stream, so they are all here now.
    expect(logs).toEqual(['warning:a warning message', 'error:a error message']);
  });

  it('tells the server about new roots and answers roots/list with them', async () => {
    const server = createDemoServer();
    const changes: Array<{ roots: Root[]; session: string }> = [];
    server.onRootsChanged((roots, session) => changes.push({ roots, session: session.id }));
    const { url } = await startSse(server);
    const first: Root[] = [{ uri: 'file:///first', name: 'first' }];
    const { client, transport } = await connectSse(url, { era, roots: first });
    const id = transport.sessionId!;
    expect(await server.listRoots(id)).toEqual(first);

    const next: Root[] = [{ uri: 'file:///next', name: 'next' }, { uri: 'file:///other' }];
    await client.setRoots(next);
    await waitFor(() => expect(changes).toEqual([{ roots: next, session: id }]));
    expect(await server.listRoots(id)).toEqual(next);
  });
});
