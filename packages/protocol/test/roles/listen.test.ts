import { afterEach, describe, expect, it } from 'vitest';
import { META } from '../../src/constants.js';
import { createMemoryTransportPair } from '../../src/memoryTransport.js';
import { createServer } from '../../src/server/createServer.js';
import { createDemoServer } from '../helpers/demoServer.js';
import { flush } from '../helpers/fakeClock.js';
import { closeAll, connectClient, waitFor } from '../helpers/pair.js';
import { attachRawPeer } from '../helpers/rawPeer.js';

afterEach(closeAll);

const envelope = {
  [META.protocolVersion]: '2026-07-28',
  [META.clientCapabilities]: {},
  [META.clientInfo]: { name: 'raw', version: '0' },
};

function rawModernPeer(server = createDemoServer({ listChangedDebounceMs: 1 })) {
  const [clientSide, serverSide] = createMemoryTransportPair();
  const handle = server.connect(serverSide);
  const peer = attachRawPeer(clientSide);
  const listen = (id: number | string, notifications: Record<string, unknown>) =>
    peer.send({ jsonrpc: '2.0', id, method: 'subscriptions/listen', params: { _meta: envelope, notifications } });
  return { server, peer, listen, close: () => handle.close() };
}

describe('modern subscriptions/listen', () => {
  it('acknowledges first, tags every message, and never sends types not asked for', async () => {
    const { server, peer, listen, close } = rawModernPeer();
    await listen(7, { toolsListChanged: true });
    await flush();
    await server.sendToolListChanged();
    await server.sendPromptListChanged();
    await server.broadcast('custom/never-asked', {});
    await flush();
    const forSeven = peer.received.filter((m) => m.params?._meta?.[META.subscriptionId] === 7);
    expect(forSeven.map((m) => m.method)).toEqual(['notifications/subscriptions/acknowledged', 'notifications/tools/list_changed']);
    expect(forSeven[0]!.params.notifications).toEqual({ toolsListChanged: true });
    expect(peer.received).toHaveLength(2);
    await close();
  });

  it('leaves types the server has no capability for out of the acknowledgement', async () => {
    const server = createServer({ name: 'tools-only', version: '1' });
    server.tool({ name: 't' }, () => 'ok');
    const { peer, listen, close } = rawModernPeer(server);
    await listen(1, { toolsListChanged: true, promptsListChanged: true, resourcesListChanged: true, resourceSubscriptions: ['a://b'] });
    await flush();
    expect(peer.ofMethod('notifications/subscriptions/acknowledged')[0]!.params.notifications).toEqual({ toolsListChanged: true });
    await close();
  });

  it("the client's cancellation ends it and sessions() shrinks", async () => {
    const { server, peer, listen, close } = rawModernPeer();
    await listen(1, { toolsListChanged: true });
    await flush();
    expect(server.sessions()).toHaveLength(1);
    await peer.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1, reason: 'done' } });
    await flush();
    expect(server.sessions()).toHaveLength(0);
    expect(await server.sendToolListChanged()).toBe(0);
    expect(peer.responseTo(1)).toBeUndefined();
    await close();
  });

  it('demultiplexes two concurrent subscriptions on one connection', async () => {
    const { server, peer, listen, close } = rawModernPeer();
    await listen('tools', { toolsListChanged: true });
    await listen('res', { resourceSubscriptions: ['test://watched'] });
    await flush();
    expect(server.sessions()).toHaveLength(2);
    await server.sendToolListChanged();
    await server.resourceUpdated('test://watched');
    await flush();
    const tagged = (id: string) => peer.received.filter((m) => m.params?._meta?.[META.subscriptionId] === id).map((m) => m.method);
    expect(tagged('tools')).toEqual(['notifications/subscriptions/acknowledged', 'notifications/tools/list_changed']);
    expect(tagged('res')).toEqual(['notifications/subscriptions/acknowledged', 'notifications/resources/updated']);
    await close();
  });

  it('ends gracefully on server shutdown with a tagged result', async () => {
    const { server, peer, listen } = rawModernPeer();
    await listen(3, { toolsListChanged: true });
    await flush();
    await server.close();
    await flush();
    expect(peer.responseTo(3)).toEqual({
      jsonrpc: '2.0',
      id: 3,
      result: { resultType: 'complete', _meta: { [META.subscriptionId]: 3, [META.serverInfo]: server.info } },
    });
    expect(server.sessions()).toHaveLength(0);
  });

  it('a Tidings client keeps one subscription for its handlers and reopens it when the filter changes', async () => {
    const server = createDemoServer({ listChangedDebounceMs: 1 });
    const client = await connectClient(server, { era: 'modern' });
    let tools = 0;
    let prompts = 0;
    client.on('notifications/tools/list_changed', () => tools++);
    expect(await client.listening()).toEqual({ toolsListChanged: true });
    client.on('notifications/prompts/list_changed', () => prompts++);
    expect(await client.listening()).toEqual({ toolsListChanged: true, promptsListChanged: true });
    await waitFor(() => expect(server.sessions()).toHaveLength(1));
    await server.sendToolListChanged();
    await server.sendPromptListChanged();
    await waitFor(() => expect([tools, prompts]).toEqual([1, 1]));
  });
});
