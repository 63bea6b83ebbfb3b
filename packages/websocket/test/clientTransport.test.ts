import { createClient, ProtocolError, type TransportSink } from '@tidings/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebSocketClientTransport, WEBSOCKET_CLOSE_CODES, WebSocketClosedError } from '../src/index.js';
import { createDemoServer } from './helpers/demoServer.js';
import { closeAll, connectClient, onCleanup, serve, waitFor } from './helpers/harness.js';

afterEach(closeAll);

/** A sink that records what the transport reports. */
function recordingSink(): TransportSink & { messages: Array<Record<string, any>>; closedWith: Array<Error | undefined> } {
  const messages: Array<Record<string, any>> = [];
  const closedWith: Array<Error | undefined> = [];
  return {
    messages,
    closedWith,
    message: (data) => messages.push(JSON.parse(data as string)),
    closed: (reason) => void closedWith.push(reason),
    error: () => {},
  };
}

/** Handles of the kinds a WebSocket connection holds (sockets, timers). */
function openHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (kind === 'TCPSocketWrap' || kind === 'Timeout') counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

describe('createWebSocketClientTransport', () => {
  it('resolves start once open, carries text frames both ways, and reports its own close without a reason', async () => {
    const endpoint = await serve(createDemoServer());
    const transport = createWebSocketClientTransport(endpoint.url);
    onCleanup(() => transport.close());
    expect(transport.kind).toBe('websocket');
    const sink = recordingSink();
    await transport.start(sink);
    await waitFor(() => expect(endpoint.connectionCount).toBe(1));

    await transport.send(JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'server/discover', params: { _meta: {} } }));
    await waitFor(() => expect(sink.messages).toHaveLength(1));
    expect(sink.messages[0]).toMatchObject({ id: 0 });

    await transport.close();
    expect(sink.closedWith).toEqual([undefined]);
    await waitFor(() => expect(endpoint.connectionCount).toBe(0));
    await expect(transport.send('{}')).rejects.toThrow(/clos/);
  });

  it('queues messages sent while the socket opens and sends them in order', async () => {
    const endpoint = await serve(createDemoServer());
    const transport = createWebSocketClientTransport(endpoint.url);
    onCleanup(() => transport.close());
    const sink = recordingSink();
    const started = transport.start(sink);
    const sends = [1, 2, 3].map((id) => transport.send(JSON.stringify({ jsonrpc: '2.0', id, method: 'server/discover' })));
    await started;
    await Promise.all(sends);
    await waitFor(() => expect(sink.messages).toHaveLength(3));
    expect(sink.messages.map((m) => m.id)).toEqual([1, 2, 3]);
  });

  it('rejects with the server\'s explanation when the upgrade is refused (headers and protocols are sent)', async () => {
    const endpoint = await serve(createDemoServer(), { allowedOrigins: ['http://good.example'] });
    const badOrigin = createClient({ name: 'c', version: '1' });
    await expect(badOrigin.connect(createWebSocketClientTransport(endpoint.url, { headers: { Origin: 'http://evil.example' } }))).rejects.toThrow(
      /refused the WebSocket upgrade with HTTP 403 Forbidden: Origin "http:\/\/evil\.example" is not allowed/,
    );
    const badProtocol = createClient({ name: 'c', version: '1' });
    await expect(badProtocol.connect(createWebSocketClientTransport(endpoint.url, { protocols: ['other'] }))).rejects.toThrow(
      /HTTP 400 Bad Request: Unsupported WebSocket subprotocol/,
    );
    const good = await connectClient(endpoint.url, { era: 'legacy' }, { headers: { Origin: 'http://good.example' } });
    expect(good.era).toBe('legacy');
  });

  it('can be closed while it opens: start rejects and the sink hears of it once', async () => {
    const endpoint = await serve(createDemoServer());
    const transport = createWebSocketClientTransport(endpoint.url);
    const sink = recordingSink();
    const started = transport.start(sink);
    await transport.close();
    await expect(started).rejects.toThrow(/closed before it opened/);
    expect(sink.closedWith).toHaveLength(1);
    await expect(transport.send('{}')).rejects.toThrow();
  });

  it('rejects start with a clear TransportError when nothing listens', async () => {
    const endpoint = await serve(createDemoServer());
    const url = endpoint.url;
    await endpoint.close();
    const transport = createWebSocketClientTransport(url);
    await expect(transport.start(recordingSink())).rejects.toThrow(/Could not open a WebSocket to ws:\/\/127\.0\.0\.1:\d+\/: The WebSocket did not open: connect ECONNREFUSED/);
  });

  it('closes with 1009 when the server sends more than maxPayload, and the client learns why', async () => {
    const endpoint = await serve(createDemoServer());
    const reasons: Array<Error | undefined> = [];
    const client = await connectClient(endpoint.url, { era: 'legacy', onClose: (reason) => reasons.push(reason) }, { maxPayload: 2048 });
    const failure = await client.callTool('long_running_task', { task_name: 'x'.repeat(4096), steps: 1 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProtocolError);
    expect((failure as ProtocolError).code).toBe('ConnectionClosed');
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toBeInstanceOf(WebSocketClosedError);
    expect((reasons[0] as WebSocketClosedError).code).toBe(WEBSOCKET_CLOSE_CODES.MessageTooBig);
    await waitFor(() => expect(endpoint.connectionCount).toBe(0));
  });

  it('leaves no open handle once a client is closed', async () => {
    const server = createDemoServer();
    const endpoint = await serve(server);
    const before = openHandles();
    const client = createClient({ name: 'c', version: '1' }, { era: 'modern' });
    await client.connect(createWebSocketClientTransport(endpoint.url));
    client.on('notifications/tools/list_changed', () => {});
    await client.listening();
    expect(openHandles().TCPSocketWrap ?? 0).toBe((before.TCPSocketWrap ?? 0) + 2);

    await client.close();
    await waitFor(() => {
      const after = openHandles();
      expect(after.TCPSocketWrap ?? 0).toBe(before.TCPSocketWrap ?? 0);
      // Timers of the test runner come and go; the connection must not add any.
      expect(after.Timeout ?? 0).toBeLessThanOrEqual(before.Timeout ?? 0);
    });
    expect(server.sessions()).toEqual([]);
    expect(endpoint.connectionCount).toBe(0);
  });
});
