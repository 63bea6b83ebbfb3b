import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createClient } from '../../src/client/createClient.js';
import type { Progress } from '../../src/engine/progressTracker.js';
import { createMemoryTransportPair } from '../../src/memoryTransport.js';
import { createServer } from '../../src/server/createServer.js';
import { createFakeClock } from '../helpers/fakeClock.js';

describe('ctx.sample heartbeat (legacy, fake clock)', () => {
  it('keeps a 6 s tool call alive while the client takes 12 s to sample', async () => {
    const clock = createFakeClock();
    const server = createServer({ name: 's', version: '1' }, { clock });
    server.tool({ name: 'ask_llm', input: z.object({ prompt: z.string() }) }, async ({ prompt }, ctx) => {
      const result = await ctx.sample(
        { messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 10 },
        { heartbeatMs: 5000, timeout: 60_000 },
      );
      const content = Array.isArray(result.content) ? result.content[0] : result.content;
      return content?.type === 'text' ? content.text : 'non-text';
    });
    const client = createClient(
      { name: 'c', version: '1' },
      {
        era: 'legacy',
        clock,
        onSamplingRequest: () =>
          new Promise((resolve) =>
            clock.setTimeout(() => resolve({ role: 'assistant', content: { type: 'text', text: 'sampled' }, model: 'm' }), 12_000),
          ),
      },
    );
    const [a, b] = createMemoryTransportPair();
    server.connect(b);
    await client.connect(a);

    const beats: Progress[] = [];
    let outcome: unknown;
    const call = client
      .callTool('ask_llm', { prompt: 'hi' }, { timeout: 6000, onProgress: (p) => beats.push(p) })
      .then((r) => (outcome = r), (e) => (outcome = e));
    for (let t = 0; t < 13; t++) await clock.advance(1000);
    await call;
    expect(outcome).toMatchObject({ content: [{ type: 'text', text: 'sampled' }] });
    expect(beats.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < beats.length; i++) expect(beats[i]!.progress).toBeGreaterThan(beats[i - 1]!.progress);
    await client.close();
    expect(clock.pendingTimers).toBe(0);
  });

  it('without heartbeats the same call times out at 6 s', async () => {
    const clock = createFakeClock();
    const server = createServer({ name: 's', version: '1' }, { clock });
    server.tool({ name: 'ask_llm' }, async (_args, ctx) => {
      await ctx.sample({ messages: [], maxTokens: 1 }, { heartbeatMs: 0 });
      return 'done';
    });
    const client = createClient({ name: 'c', version: '1' }, {
      era: 'legacy',
      clock,
      onSamplingRequest: () => new Promise(() => {}),
    });
    const [a, b] = createMemoryTransportPair();
    server.connect(b);
    await client.connect(a);
    let outcome: unknown;
    void client.callTool('ask_llm', {}, { timeout: 6000 }).catch((e) => (outcome = e));
    await clock.advance(6000);
    expect(outcome).toMatchObject({ code: 'RequestTimeout' });
    await client.close();
  });
});
