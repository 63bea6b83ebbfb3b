import type { TransportError } from '@tidings/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { awaitEveryBroadcast, deliveryFailures, expectAllInOrder, expectRunBounded, ticksHeardBy } from '../../../test-support/stalledPeer.js';
import { openStallingReader } from '../../../test-support/stallingReader.js';
import { createDemoServer } from './helpers/demoServer.js';
import { closeAll, connectSse, startSse, track, waitFor } from './helpers/harness.js';

afterEach(closeAll);

describe('a stalled HTTP+SSE peer never stalls the server (PROTOCOL.md §slow-consumers)', () => {
  it('1,000 awaited broadcasts of 10 KiB resolve, the healthy peer gets all in order, the stalled stream is closed and reported', async () => {
    const failures = deliveryFailures();
    const faults: Array<{ error: TransportError; sessionId: string }> = [];
    const server = createDemoServer({ onDiagnostic: failures.hook, onError: (error, sessionId) => faults.push({ error, sessionId }) });
    // The kernel takes about 4 MiB of the 10 MB first; a 2 MiB bound (8 MiB by default) makes the policy fire.
    const { url } = await startSse(server, { maxQueuedBytes: 2 * 1024 * 1024 });

    const stalled = await openStallingReader(url, { headers: { accept: 'text/event-stream' } });
    track(async () => stalled.destroy());
    await waitFor(() => expect(stalled.text()).toContain('sessionId='));
    const endpoint = new URL(/data: (\S+)/.exec(stalled.text())![1]!, url);
    const post = (body: unknown) => fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const clientInfo = { name: 'stalled', version: '1' };
    await post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo } });
    await waitFor(() => expect(stalled.text()).toContain('"id":0'));
    await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
    const stalledId = endpoint.searchParams.get('sessionId')!;
    await waitFor(() => expect(server.sessions().map((s) => s.id)).toEqual([stalledId]));
    stalled.stall();

    const { client: healthy } = await connectSse(url, { era: 'legacy' });
    const seqs = ticksHeardBy(healthy);
    await waitFor(() => expect(server.sessions()).toHaveLength(2));

    const run = await awaitEveryBroadcast(server);
    expectRunBounded(run);
    await expectAllInOrder(seqs);

    // The policy: the stream is closed and its session ends (2024-11-05 cannot resume), reported with its id.
    stalled.resume();
    await stalled.closed;
    expect(faults.some((f) => f.sessionId === stalledId && /too slowly/.test(f.error.message))).toBe(true);
    expect(failures.recipients()).toEqual(new Set([stalledId]));
    expect(server.sessions().map((s) => s.id)).not.toContain(stalledId);
  }, 120_000);
});
