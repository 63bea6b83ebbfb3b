import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNotification } from '../../src/defineNotification.js';
import { createDemoServer } from '../helpers/demoServer.js';
import { closeAll, connectClient, ERAS, waitFor } from '../helpers/pair.js';

afterEach(closeAll);

const StatusUpdate = defineNotification('custom/status-update', z.object({ status: z.string(), timestamp: z.number() }));

describe.each(ERAS)('the mcp-use server API (%s)', (era) => {
  it('broadcast of a custom notification reaches every session', async () => {
    const server = createDemoServer();
    const received: string[][] = [[], []];
    for (const inbox of received) {
      const client = await connectClient(server, { era });
      client.on(StatusUpdate, (params) => inbox.push(params.status));
      await client.listening();
    }
    const reached = await server.broadcast('custom/status-update', { status: 'ready', timestamp: Date.now() });
    expect(reached).toBe(2);
    await waitFor(() => expect(received).toEqual([['ready'], ['ready']]));
  });

  it('notify to one session returns true and reaches only it; an unknown id returns false', async () => {
    const server = createDemoServer();
    const first: string[] = [];
    const second: string[] = [];
    const a = await connectClient(server, { era });
    a.on(StatusUpdate, (p) => first.push(p.status));
    await a.listening();
    const b = await connectClient(server, { era });
    b.on(StatusUpdate, (p) => second.push(p.status));
    await b.listening();
    const [target] = server.sessions();
    expect(await server.notify(target!.id, StatusUpdate, { status: 'hello', timestamp: 1 })).toBe(true);
    expect(await server.notify('no-such-session', StatusUpdate, { status: 'lost', timestamp: 1 })).toBe(false);
    await waitFor(() => expect(first.length + second.length).toBe(1));
    expect([...first, ...second]).toEqual(['hello']);
  });

  it('sessions() lists exactly the live recipients', async () => {
    const server = createDemoServer();
    const opened: string[] = [];
    const closed: string[] = [];
    server.onSessionOpened((s) => opened.push(s.id));
    server.onSessionClosed((s) => closed.push(s.id));
    const a = await connectClient(server, { era });
    a.on('notifications/tools/list_changed', () => {});
    await a.listening();
    const b = await connectClient(server, { era });
    b.on('notifications/tools/list_changed', () => {});
    await b.listening();
    expect(server.sessions()).toHaveLength(2);
    expect(server.sessions().every((s) => s.era === era && s.transport === 'memory')).toBe(true);
    expect(server.sessions().map((s) => s.clientInfo?.name)).toEqual(['test-client', 'test-client']);
    await a.close();
    await waitFor(() => expect(server.sessions()).toHaveLength(1));
    expect(closed).toHaveLength(1);
    expect(opened).toHaveLength(2);
    expect(server.sessions()[0]!.id).not.toBe(closed[0]);
  });

  it('a recipient that cannot receive server-initiated messages is not counted', async () => {
    const server = createDemoServer();
    // A modern client without handlers opens no listen subscription: nothing can reach it.
    await connectClient(server, { era });
    const reached = await server.broadcast('custom/status-update', { status: 'x', timestamp: 0 });
    expect(reached).toBe(era === 'legacy' ? 1 : 0);
    expect(server.sessions()).toHaveLength(era === 'legacy' ? 1 : 0);
  });
});

describe('roots (legacy)', () => {
  it('onRootsChanged fires with the new roots after client.setRoots, and listRoots returns them', async () => {
    const server = createDemoServer();
    const changes: Array<{ roots: unknown; session: string }> = [];
    server.onRootsChanged((roots, session) => changes.push({ roots, session: session.id }));
    const client = await connectClient(server, { era: 'legacy', roots: [{ uri: 'file:///start', name: 'start' }] });
    const [session] = server.sessions();
    expect(await server.listRoots(session!.id)).toEqual([{ uri: 'file:///start', name: 'start' }]);
    await client.setRoots([{ uri: 'file:///project', name: 'project' }]);
    await waitFor(() => expect(changes).toHaveLength(1));
    expect(changes[0]).toEqual({ roots: [{ uri: 'file:///project', name: 'project' }], session: session!.id });
    expect(await server.listRoots(session!.id)).toEqual([{ uri: 'file:///project', name: 'project' }]);
    expect(await server.listRoots('unknown')).toBeUndefined();
  });
});

describe('client handlers', () => {
  it('a handler that throws does not keep the notification from the next handler', async () => {
    const server = createDemoServer();
    const diagnostics: string[] = [];
    const client = await connectClient(server, { era: 'legacy', onDiagnostic: (d) => diagnostics.push(d.kind) });
    const seen: string[] = [];
    client.on(StatusUpdate, () => {
      throw new Error('handler bug');
    });
    client.on(StatusUpdate, (p) => seen.push(p.status));
    await server.broadcast(StatusUpdate, { status: 'ok', timestamp: 1 });
    await waitFor(() => expect(seen).toEqual(['ok']));
    expect(diagnostics).toContain('callback-error');
  });
});
