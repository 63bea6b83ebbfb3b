import type { TransportError } from '@tidings/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import {
  awaitEveryBroadcast,
  deliveryFailures,
  expectAllInOrder,
  expectRunBounded,
  ticksHeardBy,
} from '../../../test-support/stalledPeer.js';
import { WEBSOCKET_CLOSE_CODES } from '../src/index.js';
import { createDemoServer } from './helpers/demoServer.js';
import { closeAll, connectClient, serve, waitFor } from './helpers/harness.js';
import { initializeRaw, openRawClient } from './helpers/rawClient.js';

afterEach(closeAll);

describe('a stalled WebSocket peer never stalls the server (PROTOCOL.md §slow-consumers)', () => {
  it('1,000 awaited broadcasts of 10 KiB resolve, the healthy peer gets all in order, the stalled one is closed with 1013 and reported', async () => {
    const failures = deliveryFailures();
    const server = createDemoServer({ onDiagnostic: failures.hook });
    const faults: TransportError[] = [];
    // The kernel takes about 4 MiB of the 10 MB before anything waits in the socket's buffer, so a
    // 2 MiB bound (8 MiB by default) is what makes the policy fire within 1,000 broadcasts. The close
    // timeout is long enough for the stalled peer to read its backlog and the close frame once it resumes.
    const endpoint = await serve(server, { maxBufferedBytes: 2 * 1024 * 1024, closeTimeoutMs: 60_000, onError: (error) => faults.push(error) });

    const stalled = await openRawClient(endpoint.url);
    await initializeRaw(stalled);
    await waitFor(() => expect(server.sessions()).toHaveLength(1));
    const stalledId = server.sessions()[0]!.id;
    stalled.socket.pause();

    const healthy = await connectClient(endpoint.url, { era: 'legacy' });
    const seqs = ticksHeardBy(healthy);
    await waitFor(() => expect(server.sessions()).toHaveLength(2));

    const run = await awaitEveryBroadcast(server);
    expectRunBounded(run);
    await expectAllInOrder(seqs);

    // The policy: the stalled peer is closed with 1013, reported to onError, and its refused deliveries carry its id.
    expect(faults.some((f) => /1013/.test(f.message))).toBe(true);
    expect(failures.recipients()).toEqual(new Set([stalledId]));
    stalled.socket.resume();
    expect((await stalled.closed).code).toBe(WEBSOCKET_CLOSE_CODES.TryAgainLater);
    await waitFor(() => expect(server.sessions().map((s) => s.id)).not.toContain(stalledId));
  }, 120_000);
});
