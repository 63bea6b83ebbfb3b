import { createClient, createServer, type Client } from '@tidings/protocol';
import { createSseServer, type SseServer } from '@tidings/sse';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createStreamableHttpClientTransport } from '../src/index.js';

let sseServer: SseServer | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.close();
  await sseServer?.close();
  client = undefined;
  sseServer = undefined;
});

function legacyOnlyServer() {
  const server = createServer({ name: 'legacy-sse-only', version: '1.0.0' });
  server.tool({ name: 'work', input: z.object({ steps: z.number().int() }) }, async ({ steps }, ctx) => {
    for (let i = 1; i <= steps; i++) {
      await ctx.reportProgress(i, steps, `step ${i}`);
      void ctx.sendToolListChanged();
    }
    return 'done';
  });
  return server;
}

describe('fallback to the 2024-11-05 HTTP+SSE transport', () => {
  it.each(['auto', 'legacy'] as const)('a Streamable HTTP client (era %s) pointed at an SSE-only server connects and receives notifications', async (era) => {
    const server = legacyOnlyServer();
    sseServer = await createSseServer({ server, port: 0 });
    const transport = createStreamableHttpClientTransport(sseServer.url);
    client = createClient({ name: 'fallback-client', version: '1.0.0' }, { era });
    await client.connect(transport);
    expect(client.era).toBe('legacy');
    expect(server.sessions().map((s) => s.transport)).toEqual(['sse']);
    expect(transport.sessionId).toBe(server.sessions()[0]!.id);

    let listChanged = 0;
    client.on('notifications/tools/list_changed', () => listChanged++);
    const progress: string[] = [];
    const result = await client.callTool('work', { steps: 3 }, { onProgress: (p) => progress.push(p.message ?? '') });
    expect(result.content).toEqual([{ type: 'text', text: 'done' }]);
    expect(progress).toEqual(['step 1', 'step 2', 'step 3']);
    await expect.poll(() => listChanged).toBeGreaterThanOrEqual(1);
  });

  it('does not fall back when disabled: the refusal reaches the caller', async () => {
    sseServer = await createSseServer({ server: legacyOnlyServer(), port: 0 });
    client = createClient({ name: 'no-fallback', version: '1.0.0' }, { era: 'legacy' });
    await expect(client.connect(createStreamableHttpClientTransport(sseServer.url, { sseFallback: false }))).rejects.toMatchObject({
      message: expect.stringMatching(/HTTP 405/),
    });
  });
});
