import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEngine, LATEST_MODERN_VERSION, META, type SendOptions, type Transport, type TransportSink } from '@tidings/protocol';
import { createStreamableHttpClientTransport } from '@tidings/streamable-http/client';

afterEach(() => {
  vi.restoreAllMocks();
});

const modernMeta = { [META.protocolVersion]: LATEST_MODERN_VERSION, [META.clientInfo]: { name: 't', version: '1' }, [META.clientCapabilities]: {} };

describe('the engine tells the transport what it sends (SendOptions.outbound)', () => {
  it('names every request and notification with the object it serialised, and no response', async () => {
    const sent: Array<{ data: string; options: SendOptions | undefined }> = [];
    let sink!: TransportSink;
    const transport: Transport = {
      readsOutbound: true,
      start: (s) => void (sink = s),
      send: (data, options) => {
        sent.push({ data, options });
        return Promise.resolve();
      },
      close: () => Promise.resolve(),
    };
    const engine = createEngine({ transport, handler: { request: () => ({}), notification: () => {} } });
    const pending = engine.request('tools/call', { name: 'echo' }).catch(() => undefined);
    await engine.notify('notifications/initialized');
    sink.message({ jsonrpc: '2.0', id: 'from-peer', method: 'ping' });
    await vi.waitFor(() => expect(sent).toHaveLength(3), 1000);

    const [request, notification, response] = sent;
    expect(request!.options?.outbound).toEqual(JSON.parse(request!.data));
    expect(request!.options?.outbound).toMatchObject({ id: 1, method: 'tools/call' });
    expect(notification!.options?.outbound).toEqual({ jsonrpc: '2.0', method: 'notifications/initialized' });
    expect(response!.options?.outbound).toBeUndefined();
    expect(response!.options?.responseTo).toBe('from-peer');
    await engine.close();
    await pending;
  });

  it("spares a transport that does not read it an options object per notification, and passes the caller's own", async () => {
    const sent: Array<SendOptions | undefined> = [];
    const transport: Transport = {
      start: () => {},
      send: (_data, options) => {
        sent.push(options);
        return Promise.resolve();
      },
      close: () => Promise.resolve(),
    };
    const engine = createEngine({ transport, handler: { request: () => ({}), notification: () => {} } });
    const own: SendOptions = { relatedRequestId: 3 };
    await engine.notify('notifications/progress', { progressToken: 1, progress: 1 }, own);
    await engine.notify('notifications/initialized');
    expect(sent).toEqual([own, undefined]);
    expect(sent[0]).toBe(own);
    await engine.close();
  });

  it('the Streamable HTTP client declares that it reads it', () => {
    expect(createStreamableHttpClientTransport('http://127.0.0.1:1/mcp').readsOutbound).toBe(true);
  });
});

describe('the Streamable HTTP client routes by SendOptions, never by parsing what the engine serialised', () => {
  it('sends a modern request with its headers and hands back its answer, without JSON.parse on the request', async () => {
    const posted: Array<{ headers: Headers; body: string }> = [];
    // The fake server answers by position, so that nothing but the transport could parse the request text.
    const fetch: typeof globalThis.fetch = async (_url, init) => {
      posted.push({ headers: new Headers(init?.headers), body: String(init?.body) });
      return new Response('{"jsonrpc":"2.0","id":7,"result":{"content":[]}}', { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const transport = createStreamableHttpClientTransport('http://127.0.0.1:1/mcp', { fetch });
    const received: unknown[] = [];
    transport.start({ message: (m) => void received.push(m), closed: () => {}, error: () => {} });
    const outbound = { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'echo', _meta: modernMeta } } as const;
    const data = JSON.stringify(outbound);
    const parse = vi.spyOn(JSON, 'parse');

    await transport.send(data, { outbound });
    await vi.waitFor(() => expect(received).toHaveLength(1), 1000);

    expect(parse.mock.calls.some(([text]) => text === data)).toBe(false);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.body).toBe(data);
    expect(posted[0]!.headers.get('mcp-method')).toBe('tools/call');
    expect(posted[0]!.headers.get('mcp-name')).toBe('echo');
    expect(received[0]).toMatchObject({ id: 7, result: { content: [] } });
    await transport.close();
  });
});
