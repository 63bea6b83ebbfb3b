import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type Diagnostic } from '@tidings/protocol';
import { createStreamableHttpClientTransport } from '../src/index.js';
import { createCuttingFetch } from './helpers/cuttingFetch.js';
import { Marker, MARKER_FILTER, sendMarker, watchMarkers } from '../../../test-support/marker.js';
import { createDemoServer } from './helpers/demoServer.js';
import { closeAll, connectHttpClient, onCleanup, startHttp, waitFor } from './helpers/harness.js';
import { envelope, MODERN, postHeaders } from './helpers/raw.js';
import { readFrames } from './helpers/sseFrames.js';

afterEach(closeAll);

const SUBSCRIPTION = 'io.modelcontextprotocol/subscriptionId';

async function openListen(url: string, id: string | number, notifications: Record<string, unknown>, signal?: AbortSignal): Promise<Response> {
  const response = await fetch(url, {
    method: 'POST',
    headers: postHeaders({ 'mcp-protocol-version': MODERN, 'mcp-method': 'subscriptions/listen' }),
    body: JSON.stringify({ jsonrpc: '2.0', id, method: 'subscriptions/listen', params: { _meta: envelope(), notifications } }),
    signal,
  });
  onCleanup(() => response.body?.cancel().catch(() => {}));
  return response;
}

describe('modern listen streams over Streamable HTTP', () => {
  it('carry list_changed and resources/updated per their filter, each tagged with the subscription id', async () => {
    const server = createDemoServer();
    const http = await startHttp(server);
    const toolsAndWatched = await openListen(http.url, 'listen-a', { toolsListChanged: true, resourceSubscriptions: ['test://watched'], ...MARKER_FILTER });
    const promptsOnly = await openListen(http.url, 41, { promptsListChanged: true, ...MARKER_FILTER });
    for (const response of [toolsAndWatched, promptsOnly]) {
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/event-stream');
      expect(response.headers.get('x-accel-buffering')).toBe('no');
    }
    const a = readFrames(toolsAndWatched);
    const b = readFrames(promptsOnly);
    await waitFor(() => expect(server.sessions()).toHaveLength(2));
    await server.sendToolListChanged();
    await server.sendPromptListChanged();
    await server.resourceUpdated('test://watched');
    await server.resourceUpdated('test://other');
    await waitFor(() => expect(a.messages.map((m) => m.method)).toContain('notifications/resources/updated'));
    await waitFor(() => expect(b.messages.map((m) => m.method)).toContain('notifications/prompts/list_changed'));
    // Each stream keeps its order: once the marker is in, anything sent to it before is in too.
    expect(await server.broadcast(Marker, { n: 1 })).toBe(2);
    await waitFor(() => {
      for (const frames of [a, b]) expect(frames.messages.map((m) => m.method)).toContain(Marker.method);
    });
    expect(a.messages.map((m) => [m.method, m.params.uri])).toEqual([
      ['notifications/subscriptions/acknowledged', undefined],
      ['notifications/tools/list_changed', undefined],
      ['notifications/resources/updated', 'test://watched'],
      [Marker.method, undefined],
    ]);
    expect(a.messages[0].params.notifications).toEqual({ toolsListChanged: true, resourceSubscriptions: ['test://watched'], ...MARKER_FILTER });
    expect(a.messages.every((m) => m.params._meta[SUBSCRIPTION] === 'listen-a')).toBe(true);
    expect(b.messages.map((m) => m.method)).toEqual(['notifications/subscriptions/acknowledged', 'notifications/prompts/list_changed', Marker.method]);
    expect(b.messages.every((m) => m.params._meta[SUBSCRIPTION] === 41)).toBe(true);
  });

  it('get `:` keep-alive comments at the configured interval', async () => {
    const http = await startHttp(createDemoServer(), { keepAliveMs: 50 });
    const frames = readFrames(await openListen(http.url, 1, { toolsListChanged: true }));
    await waitFor(() => expect(frames.comments.length).toBeGreaterThanOrEqual(6), 5000);
    const [first, ...rest] = frames.comments.slice(0, 6);
    // Timers never fire early, so five intervals span at least 5 × 50 ms; arrival jitter of the
    // first comment can shorten the measured span a little, hence the 25 ms allowance.
    expect(rest.at(-1)! - first!).toBeGreaterThanOrEqual(5 * 50 - 25);
    expect(frames.messages.map((m) => m.method)).toEqual(['notifications/subscriptions/acknowledged']);
  });

  it('free the subscription on the server when the client closes the stream', async () => {
    const server = createDemoServer();
    const http = await startHttp(server);
    const controller = new AbortController();
    const response = await openListen(http.url, 1, { toolsListChanged: true }, controller.signal);
    const frames = readFrames(response);
    await waitFor(() => expect(server.sessions()).toHaveLength(1));
    expect(server.sessions()[0]).toMatchObject({ era: 'modern', kind: 'listen', transport: 'streamable-http' });
    controller.abort();
    await frames.done;
    await waitFor(() => expect(server.sessions()).toHaveLength(0));

    const client = await connectHttpClient(http.url, { era: 'modern' });
    client.on('notifications/tools/list_changed', () => {});
    await client.listening();
    await waitFor(() => expect(server.sessions()).toHaveLength(1));
    await client.close();
    await waitFor(() => expect(server.sessions()).toHaveLength(0));
  });
});

describe('modern requests over Streamable HTTP', () => {
  it('a cancelled request closes its stream, and the server aborts the handler', async () => {
    const server = createDemoServer();
    let aborted = false;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    server.tool({ name: 'wait_forever' }, (_args, ctx) => new Promise((resolve) => {
      ctx.signal.addEventListener('abort', () => {
        aborted = true;
        resolve('never seen');
      });
      started();
    }));
    const http = await startHttp(server);
    const client = await connectHttpClient(http.url, { era: 'modern' });
    const controller = new AbortController();
    const call = client.callTool('wait_forever', {}, { signal: controller.signal });
    // Aborted once the handler runs, not after a guess at how long the request takes to get there.
    await running;
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'RequestCancelled' });
    await waitFor(() => expect(aborted).toBe(true));
  });

  it('a request whose stream broke without a response is re-issued under a new wire id', async () => {
    const http = await startHttp(createDemoServer());
    const cutting = createCuttingFetch({ cutAtEvents: [20] });
    const diagnostics: Diagnostic[] = [];
    const client = createClient({ name: 'reissue', version: '1' }, { era: 'modern', onDiagnostic: (d) => diagnostics.push(d) });
    onCleanup(() => client.close());
    await client.connect(createStreamableHttpClientTransport(http.url, { fetch: cutting.fetch, reconnect: { initialDelayMs: 5 } }));
    const progress: number[] = [];
    const result = await client.callTool('burst', { count: 50, every: 5, pauseMs: 2 }, { onProgress: (p) => progress.push(p.progress) });
    expect(result.content).toEqual([{ type: 'text', text: 'sent 50' }]);
    const calls = cutting.requests.filter((r) => r.body?.includes('"tools/call"')).map((r) => JSON.parse(r.body!).id);
    expect(calls).toHaveLength(2);
    expect(typeof calls[0]).toBe('number');
    expect(calls[1]).toMatch(/^tidings-reissue-/);
    // The re-issued call starts its progress over; the engine keeps only increasing values.
    expect(progress.at(-1)).toBe(50);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
  });

  it('a listen stream that drops is re-opened, and its notifications still reach the handlers', async () => {
    const server = createDemoServer();
    const http = await startHttp(server);
    const cutting = createCuttingFetch({ cutAtEvents: [2] });
    const client = createClient({ name: 'relisten', version: '1' }, { era: 'modern', listenRetryMs: 5 });
    onCleanup(() => client.close());
    await client.connect(createStreamableHttpClientTransport(http.url, { fetch: cutting.fetch, reconnect: { initialDelayMs: 5 } }));
    let changes = 0;
    client.on('notifications/tools/list_changed', () => changes++);
    const markers = watchMarkers(client);
    await client.listening();
    await waitFor(() => expect(server.sessions()).toHaveLength(1));
    await server.sendToolListChanged();
    // The first change crossed the cut: the stream broke and was re-opened under a new id.
    await waitFor(() => expect(cutting.cuts).toBe(1));
    await waitFor(() => {
      const listens = cutting.requests.filter((r) => r.body?.includes('subscriptions/listen'));
      expect(listens.length).toBeGreaterThanOrEqual(2);
      expect(server.sessions()).toHaveLength(1);
    });
    // Whatever the first change left on its way (a copy re-sent on the new stream) is in once marker 1 is.
    await sendMarker(server, [markers], 1);
    const before = changes;
    await server.sendToolListChanged();
    await sendMarker(server, [markers], 2);
    expect(changes).toBe(before + 1);
  });
});
