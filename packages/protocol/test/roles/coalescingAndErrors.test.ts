import { afterEach, describe, expect, it } from 'vitest';
import { META } from '../../src/constants.js';
import { ProtocolError } from '../../src/errors.js';
import { createMemoryTransportPair } from '../../src/memoryTransport.js';
import { createServer } from '../../src/server/createServer.js';
import { createDemoServer } from '../helpers/demoServer.js';
import { sendMarker, watchMarkers } from '../../../../test-support/marker.js';
import { createFakeClock, flush } from '../helpers/fakeClock.js';
import { closeAll, connectClient, ERAS, waitFor } from '../helpers/pair.js';
import { attachRawPeer } from '../helpers/rawPeer.js';

afterEach(closeAll);

describe.each(ERAS)('list_changed coalescing (%s)', (era) => {
  it('adding 100 tools in one tick sends one tools/list_changed per session', async () => {
    const clock = createFakeClock();
    const server = createDemoServer({ clock, listChangedDebounceMs: 5 });
    const counts = [0, 0];
    const markers: number[][] = [];
    for (const i of [0, 1]) {
      const client = await connectClient(server, { era });
      client.on('notifications/tools/list_changed', () => counts[i]!++);
      markers.push(watchMarkers(client));
      await client.listening();
    }
    for (let i = 0; i < 100; i++) server.tool({ name: `tool_${i}` }, () => 'ok');
    await clock.advance(5);
    await waitFor(() => expect(counts).toEqual([1, 1]));
    // Every window the burst could have opened has closed long since; the marker follows whatever they sent.
    await clock.advance(1000);
    await sendMarker(server, markers);
    expect(counts).toEqual([1, 1]);
  });
});

function rawPeer(server = createDemoServer()) {
  const [clientSide, serverSide] = createMemoryTransportPair();
  server.connect(serverSide);
  return attachRawPeer(clientSide);
}

const modernMeta = { [META.protocolVersion]: '2026-07-28', [META.clientCapabilities]: {} };

describe('errors', () => {
  it('a notification the server capability forbids is not sent and the call says so', async () => {
    const server = createServer({ name: 's', version: '1' }, { capabilities: { tools: { listChanged: false } } });
    server.tool({ name: 't' }, () => 'ok');
    const client = await connectClient(server, { era: 'legacy' });
    let seen = 0;
    client.on('notifications/tools/list_changed', () => seen++);
    const markers = watchMarkers(client);
    await expect(server.sendToolListChanged()).rejects.toMatchObject({ code: 'CapabilityNotSupported' });
    expect(await server.broadcast('notifications/tools/list_changed')).toBe(0);
    await expect(server.resourceUpdated('x://y')).rejects.toBeInstanceOf(ProtocolError);
    expect(await sendMarker(server, [markers])).toBe(1);
    expect(seen).toBe(0);
  });

  it('a legacy request before initialize gets InvalidRequest; ping is allowed', async () => {
    const peer = rawPeer();
    await peer.send({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    await peer.send({ jsonrpc: '2.0', id: 2, method: 'ping' });
    await flush();
    expect(peer.responseTo(1)?.error).toMatchObject({ code: -32600, message: expect.stringMatching(/not initialized/) });
    expect(peer.responseTo(2)?.result).toEqual({});
  });

  it('a modern request missing _meta keys gets −32602 naming them', async () => {
    const peer = rawPeer();
    await peer.send({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { [META.protocolVersion]: '2026-07-28' } } });
    await flush();
    expect(peer.responseTo(1)?.error).toMatchObject({ code: -32602, data: { missing: [META.clientCapabilities] } });
  });

  it('an unsupported version gets −32022 with supported and requested', async () => {
    const peer = rawPeer();
    await peer.send({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { ...modernMeta, [META.protocolVersion]: '1900-01-01' } } });
    await flush();
    const error = peer.responseTo(1)?.error;
    expect(error.code).toBe(-32022);
    expect(error.data.requested).toBe('1900-01-01');
    expect(error.data.supported).toEqual(expect.arrayContaining(['2026-07-28', '2025-11-25']));
  });

  it('a legacy-only method inside a modern envelope gets −32601', async () => {
    const peer = rawPeer();
    await peer.send({ jsonrpc: '2.0', id: 1, method: 'logging/setLevel', params: { _meta: modernMeta, level: 'info' } });
    await flush();
    expect(peer.responseTo(1)?.error.code).toBe(-32601);
  });

  it('server/discover answers with versions, capabilities, resultType and serverInfo, and pins nothing', async () => {
    const peer = rawPeer();
    await peer.send({ jsonrpc: '2.0', id: 0, method: 'server/discover', params: { _meta: modernMeta } });
    await peer.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } });
    await flush();
    expect(peer.responseTo(0)?.result).toMatchObject({
      resultType: 'complete',
      supportedVersions: expect.arrayContaining(['2026-07-28', '2025-11-25', '2024-11-05']),
      capabilities: { tools: { listChanged: true }, logging: {} },
      _meta: { [META.serverInfo]: { name: 'PrimitiveServer', version: '1.0.0' } },
    });
    expect(peer.responseTo(1)?.result).toMatchObject({ protocolVersion: '2025-06-18', serverInfo: { name: 'PrimitiveServer' } });
  });

  it('modern ctx.sample fails with −32021 when the client lacks the capability', async () => {
    const server = createServer({ name: 's', version: '1' });
    server.tool({ name: 'needs_llm' }, async (_a, ctx) => {
      await ctx.sample({ messages: [], maxTokens: 1 });
      return 'x';
    });
    const peer = rawPeer(server);
    await peer.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { _meta: modernMeta, name: 'needs_llm' } });
    await flush();
    expect(peer.responseTo(1)?.error).toMatchObject({ code: -32021, data: { requiredCapabilities: { sampling: {} } } });
  });

  it('a bad tool argument is a tool error result, an unknown tool is −32602', async () => {
    const client = await connectClient(createDemoServer(), { era: 'modern' });
    const bad = await client.callTool('long_running_task', { steps: 'many' });
    expect(bad.isError).toBe(true);
    await expect(client.callTool('nope', {})).rejects.toMatchObject({ code: 'InvalidParams' });
  });
});

describe('a transport that delivers inside start()', () => {
  it('gets its request answered and its session listed, with no hop needed', async () => {
    const server = createDemoServer();
    const sent: string[] = [];
    let closed = false;
    server.connect({
      kind: 'eager',
      start(sink) {
        sink.message(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: modernMeta } }));
        sink.message(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: { _meta: modernMeta } }));
      },
      send: async (data) => void sent.push(data),
      close: async () => {
        closed = true;
      },
    });
    await waitFor(() => expect(sent).toHaveLength(2));
    expect(sent.map((d) => JSON.parse(d).id)).toEqual([1, 2]);
    expect(JSON.parse(sent[1]!).result.tools.map((t: { name: string }) => t.name)).toEqual(['long_running_task']);
    expect(closed).toBe(false);
  });
});
