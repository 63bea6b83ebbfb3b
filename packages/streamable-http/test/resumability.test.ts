import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from '@tidings/protocol';
import { createStreamableHttpClientTransport } from '../src/index.js';
import { createCuttingFetch } from './helpers/cuttingFetch.js';
import { createDemoServer } from './helpers/demoServer.js';
import { closeAll, connectHttpClient, onCleanup, startHttp, waitFor } from './helpers/harness.js';
import { createClient } from '@tidings/protocol';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';

afterEach(closeAll);

const fastReconnect = { initialDelayMs: 5, maxDelayMs: 50, maxRetries: 20 };

/** Five distinct cut points in [50, 950], ascending. */
function randomCuts(): number[] {
  const points = new Set<number>();
  while (points.size < 5) points.add(50 + Math.floor(Math.random() * 900));
  return [...points].sort((a, b) => a - b);
}

describe('legacy resumability over Streamable HTTP', () => {
  it('1,000 progress notifications arrive exactly once and in order across 5 cut connections', async () => {
    const http = await startHttp(createDemoServer(), { retryMs: 5 });
    const cuts = randomCuts();
    const cutting = createCuttingFetch({ cutAtEvents: cuts });
    const diagnostics: Diagnostic[] = [];
    const client = await connectHttpClient(
      http.url,
      { era: 'legacy', onDiagnostic: (d) => diagnostics.push(d) },
      { fetch: cutting.fetch, reconnect: fastReconnect },
    );
    const progress: number[] = [];
    const result = await client.callTool('burst', { count: 1000, every: 20, pauseMs: 1 }, { onProgress: (p) => progress.push(p.progress), timeout: 30_000 });
    expect(result.content).toEqual([{ type: 'text', text: 'sent 1000' }]);
    expect(cutting.cuts, `cut points ${cuts.join(', ')}`).toBe(5);
    expect(progress).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    // A duplicate would have been dropped by the engine and reported here.
    expect(diagnostics.filter((d) => d.kind.startsWith('progress-'))).toEqual([]);
    const resumes = cutting.requests.filter((r) => r.method === 'GET' && r.headers['last-event-id'] !== undefined);
    expect(resumes.length).toBeGreaterThanOrEqual(5);
  });

  it('a resumed stream that drops before its first new event resumes again from the same Last-Event-ID (SDK #2499)', async () => {
    const http = await startHttp(createDemoServer(), { retryMs: 5 });
    const cutting = createCuttingFetch({ cutAtEvents: [100], cutResumedBeforeFirstEvent: 1 });
    const client = await connectHttpClient(http.url, { era: 'legacy' }, { fetch: cutting.fetch, reconnect: fastReconnect });
    const progress: number[] = [];
    await client.callTool('burst', { count: 300, every: 10, pauseMs: 1 }, { onProgress: (p) => progress.push(p.progress), timeout: 30_000 });
    expect(progress).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    const resumes = cutting.requests.filter((r) => r.method === 'GET' && r.headers['last-event-id'] !== undefined);
    const ofRequestStream = resumes.filter((r) => !r.headers['last-event-id']!.startsWith('0_'));
    expect(ofRequestStream.length).toBeGreaterThanOrEqual(2);
    expect(ofRequestStream[1]!.headers['last-event-id']).toBe(ofRequestStream[0]!.headers['last-event-id']);
  });

  it('an expired session answers 404; the client re-initializes by itself and its next call succeeds (SDK #1708)', async () => {
    const server = createDemoServer();
    const http = await startHttp(server, { sessionIdleTimeoutMs: 60 });
    // No GET stream, so the idle session expires.
    const cutting = createCuttingFetch({ refuseStandaloneGet: 405 });
    const transport = createStreamableHttpClientTransport(http.url, { fetch: cutting.fetch, reconnect: fastReconnect });
    const client = createClient({ name: 'expiring', version: '1' }, { era: 'legacy' });
    onCleanup(() => client.close());
    await client.connect(transport);
    const firstSession = transport.sessionId;
    expect(firstSession).toBeDefined();
    // The HTTP session id is the session's id in the core too.
    expect(server.sessions().map((s) => s.id)).toEqual([firstSession]);
    await waitFor(() => expect(http.handler.sessionCount).toBe(0), 3000);
    const result = await client.callTool('log_levels');
    expect(result.content).toEqual([{ type: 'text', text: 'logged' }]);
    expect(transport.sessionId).toBeDefined();
    expect(transport.sessionId).not.toBe(firstSession);
    const posts = cutting.requests.filter((r) => r.method === 'POST').map((r) => JSON.parse(r.body!).method);
    expect(posts.filter((m) => m === 'initialize')).toHaveLength(2);
    expect(posts.filter((m) => m === 'notifications/initialized')).toHaveLength(2);
    expect(posts.filter((m) => m === 'tools/call')).toHaveLength(2);
    expect(server.sessions().map((s) => s.id)).toEqual([transport.sessionId]);
  });
});

describe('a re-initialize the server refuses', () => {
  it('fails that call clearly; the next call starts a new session first instead of going out without one (a 400)', async () => {
    const server = createDemoServer();
    const http = await startHttp(server, { sessionIdleTimeoutMs: 60 });
    const cutting = createCuttingFetch({ refuseStandaloneGet: 405 });
    // The server is away for the first re-initialize, as a node is while its session store restarts.
    let initializes = 0;
    const away: typeof fetch = async (input, init) => {
      const body = typeof init?.body === 'string' ? init.body : '';
      if (body.includes('"method":"initialize"') && ++initializes === 2) return new Response('store away', { status: 503 });
      return cutting.fetch(input, init);
    };
    const transport = createStreamableHttpClientTransport(http.url, { fetch: away, reconnect: fastReconnect });
    const client = createClient({ name: 'refused-reinit', version: '1' }, { era: 'legacy' });
    onCleanup(() => client.close());
    await client.connect(transport);
    const firstSession = transport.sessionId;
    await waitFor(() => expect(http.handler.sessionCount).toBe(0), 3000);
    await expect(client.callTool('log_levels')).rejects.toThrow(/re-initializing failed: re-initialize was refused \(HTTP 503\)/);
    const result = await client.callTool('log_levels');
    expect(result.content).toEqual([{ type: 'text', text: 'logged' }]);
    expect(transport.sessionId).toBeDefined();
    expect(transport.sessionId).not.toBe(firstSession);
    // Every request went out with a session id: none was refused 400 for lacking one.
    const calls = cutting.requests.filter((r) => r.method === 'POST' && JSON.parse(r.body!).method === 'tools/call');
    expect(calls.map((r) => r.headers['mcp-session-id'] !== undefined)).toEqual([true, true]);
    expect(initializes).toBe(3);
  });
});

describe('closeSseStream (the referee\'s test_reconnection)', () => {
  it('closes a POST stream mid-call after its priming event; a GET with Last-Event-ID gets the response', async () => {
    const server = createDemoServer();
    const holder: { close?: (sessionId: string, requestId: string | number) => boolean } = {};
    server.tool({ name: 'test_reconnection' }, async (_args, ctx) => {
      holder.close?.(ctx.peer.sessionId!, ctx.requestId);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return 'reconnected';
    });
    const http = await startHttp(server, { retryMs: 20 });
    holder.close = (sessionId, requestId) => http.handler.closeSseStream(sessionId, requestId);
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const init = await fetch(http.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
    });
    const sessionId = init.headers.get('mcp-session-id')!;
    await init.text();
    const session = { ...headers, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' };
    await (await fetch(http.url, { method: 'POST', headers: session, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) })).text();
    const call = await fetch(http.url, {
      method: 'POST',
      headers: session,
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'test_reconnection', arguments: {} } }),
    });
    expect(call.headers.get('content-type')).toBe('text/event-stream');
    const firstStream = await call.text();
    // The priming event comes first: an id, the retry delay and empty data; then the stream ends without the response.
    expect(firstStream).toMatch(/^id: ([0-9a-z]+_[0-9a-z]+_[0-9a-z]+)\nretry: 20\ndata: \n\n$/);
    const lastEventId = /^id: (\S+)/.exec(firstStream)![1]!;
    const resumed = await fetch(http.url, { headers: { accept: 'text/event-stream', 'mcp-session-id': sessionId, 'last-event-id': lastEventId } });
    expect(resumed.status).toBe(200);
    const rest = await resumed.text();
    const messages = rest.split('\n').filter((line) => line.startsWith('data: {')).map((line) => JSON.parse(line.slice(6)));
    expect(messages).toEqual([{ jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'reconnected' }] } }]);
  });

  it('the SDK v1 client and the Tidings client both get the result after the server closed their stream', async () => {
    const server = createDemoServer();
    const holder: { close?: (sessionId: string, requestId: string | number) => boolean } = {};
    server.tool({ name: 'test_reconnection' }, async (_args, ctx) => {
      holder.close?.(ctx.peer.sessionId!, ctx.requestId);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return 'reconnected';
    });
    const http = await startHttp(server, { retryMs: 10 });
    holder.close = (sessionId, requestId) => http.handler.closeSseStream(sessionId, requestId);
    const tidings = await connectHttpClient(http.url, { era: 'legacy' }, { reconnect: fastReconnect });
    expect((await tidings.callTool('test_reconnection')).content).toEqual([{ type: 'text', text: 'reconnected' }]);
    const sdk = new V1Client({ name: 'sdk-v1', version: '1' });
    onCleanup(() => sdk.close());
    await sdk.connect(new V1Transport(new URL(http.url)));
    const result = await sdk.callTool({ name: 'test_reconnection', arguments: {} }, CallToolResultSchema);
    expect(result.content).toEqual([{ type: 'text', text: 'reconnected' }]);
  });
});
