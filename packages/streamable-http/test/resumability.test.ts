import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from '@tidings/protocol';
import { createStreamableHttpClientTransport } from '../src/index.js';
import { createCuttingFetch } from './helpers/cuttingFetch.js';
import { createDemoServer } from './helpers/demoServer.js';
import { closeAll, connectHttpClient, onCleanup, startHttp, waitFor } from './helpers/harness.js';
import { createClient } from '@tidings/protocol';

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
    await waitFor(() => expect(http.handler.sessionCount).toBe(0), 3000);
    const result = await client.callTool('log_levels');
    expect(result.content).toEqual([{ type: 'text', text: 'logged' }]);
    expect(transport.sessionId).toBeDefined();
    expect(transport.sessionId).not.toBe(firstSession);
    const posts = cutting.requests.filter((r) => r.method === 'POST').map((r) => JSON.parse(r.body!).method);
    expect(posts.filter((m) => m === 'initialize')).toHaveLength(2);
    expect(posts.filter((m) => m === 'notifications/initialized')).toHaveLength(2);
    expect(posts.filter((m) => m === 'tools/call')).toHaveLength(2);
    expect(server.sessions()).toHaveLength(1);
  });
});
