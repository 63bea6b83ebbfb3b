import { afterEach, describe, expect, it } from 'vitest';
import { EventsMissed, type TransportError } from '@tidings/protocol';
import { z } from 'zod';
import { createInMemoryEventStore } from '../src/index.js';
import { createCuttingFetch } from './helpers/cuttingFetch.js';
import { createDemoServer } from './helpers/demoServer.js';
import { closeAll, connectHttpClient, startHttp, waitFor } from './helpers/harness.js';

afterEach(closeAll);

const STEPS = 300;
const KEPT = 50;

describe('a resume past the event store\'s horizon is never silent (PROTOCOL.md §resume-horizon)', () => {
  it('the client hears EventsMissed with the exact count, then the kept events; the server reports it', async () => {
    const server = createDemoServer();
    let cut!: () => void;
    const cutSeen = new Promise<void>((resolve) => (cut = resolve));
    let finished!: () => void;
    const allSent = new Promise<void>((resolve) => (finished = resolve));
    const progress: number[] = [];
    server.tool({ name: 'steps', input: z.object({}) }, async (_args, ctx) => {
      for (let i = 1; i <= STEPS; i++) {
        await ctx.reportProgress(i, STEPS);
        // The client reads the first three one by one (each its own chunk, so the cut at the
        // fourth drops only that one); the rest is sent while the client is away.
        if (i <= 3) await waitFor(() => expect(progress).toContain(i));
        if (i === 4) await cutSeen;
      }
      finished();
      return 'done';
    });
    const faults: TransportError[] = [];
    const http = await startHttp(server, {
      retryMs: 5,
      eventStore: createInMemoryEventStore({ maxEventsPerSession: KEPT }),
      onError: (error) => faults.push(error),
    });
    const cutting = createCuttingFetch({ cutAtEvents: [4] });
    // The client comes back only once every step was sent, as a client that was away for long would.
    const fetchLate: typeof fetch = async (input, init) => {
      if (new Headers(init?.headers).has('last-event-id')) await allSent;
      return cutting.fetch(input, init);
    };
    const client = await connectHttpClient(http.url, { era: 'legacy' }, { fetch: fetchLate, reconnect: { initialDelayMs: 5, maxRetries: 20 } });
    const missed: number[] = [];
    client.on(EventsMissed, (params) => void missed.push(params.missed));
    const call = client.callTool('steps', {}, { onProgress: ({ progress: p }) => void progress.push(p) });
    await waitFor(() => expect(cutting.cuts).toBe(1));
    cut();

    expect((await call).content).toEqual([{ type: 'text', text: 'done' }]);
    // Seen before the cut, announced as missed, replayed from the store: every step is accounted for once.
    expect(missed).toHaveLength(1);
    const before = progress.filter((p) => p <= 3);
    const after = progress.filter((p) => p > 3);
    expect(before).toEqual([1, 2, 3]);
    expect(after[0]).toBe(before.length + missed[0]! + 1);
    expect(after).toEqual(Array.from({ length: STEPS - after[0]! + 1 }, (_, i) => after[0]! + i));
    expect(after.length).toBeLessThan(KEPT);
    expect(faults.some((f) => /horizon/.test(f.message) && f.message.includes(`${missed[0]} messages missed`))).toBe(true);
  });
});
