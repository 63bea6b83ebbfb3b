import type { TransportError } from '@tidings/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { awaitEveryBroadcast, BROADCASTS, deliveryFailures, expectAllInOrder, expectRunBounded, TICK, tickSeq, ticksHeardBy } from '../../../test-support/stalledPeer.js';
import { openStallingReader, type StallingReader } from '../../../test-support/stallingReader.js';
import { createDemoServer } from './helpers/demoServer.js';
import { closeAll, connectHttpClient, onCleanup, startHttp, waitFor } from './helpers/harness.js';
import { envelope, MODERN, postHeaders } from './helpers/raw.js';

afterEach(closeAll);

/** The kernel takes about 4 MiB of the 10 MB first; a 2 MiB bound (8 MiB by default) makes the policy fire. */
const LIMITS = { maxQueuedBytes: 2 * 1024 * 1024 };
const LEGACY = '2025-11-25';

/** Opens a legacy session by hand and its GET stream, which the test then stops reading. */
async function stalledLegacySession(url: string): Promise<{ id: string; stream: StallingReader }> {
  const clientInfo = { name: 'stalled', version: '1' };
  const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: LEGACY, capabilities: {}, clientInfo } };
  const opened = await fetch(url, { method: 'POST', headers: postHeaders(), body: JSON.stringify(init) });
  await opened.text();
  const id = opened.headers.get('mcp-session-id')!;
  const session = { 'mcp-session-id': id, 'mcp-protocol-version': LEGACY };
  const initialized = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' });
  expect((await fetch(url, { method: 'POST', headers: postHeaders(session), body: initialized })).status).toBe(202);
  const stream = await openStallingReader(url, { headers: { accept: 'text/event-stream', ...session } });
  onCleanup(() => stream.destroy());
  return { id, stream };
}

/** The ticks in SSE text, in the order they came, with the id of the last whole event read. */
function ticksIn(text: string): { seqs: number[]; lastEventId: string | undefined } {
  const seqs: number[] = [];
  let lastEventId: string | undefined;
  // The last block is cut short when the connection was cut mid-event.
  for (const block of text.split('\n\n').slice(0, -1)) {
    const id = /^id: (.+)$/m.exec(block)?.[1];
    const data = /^data: (.+)$/m.exec(block)?.[1];
    const seq = data === undefined ? undefined : tickSeq(JSON.parse(data));
    if (seq === undefined) continue;
    seqs.push(seq);
    lastEventId = id;
  }
  return { seqs, lastEventId };
}

describe('a stalled Streamable HTTP peer never stalls the server (PROTOCOL.md §slow-consumers)', () => {
  it('legacy: broadcasts resolve, the healthy session gets all in order, the stalled GET stream is cut off, reported, and resumes without a gap', async () => {
    const failures = deliveryFailures();
    const server = createDemoServer({ onDiagnostic: failures.hook });
    const faults: TransportError[] = [];
    const { url } = await startHttp(server, { ...LIMITS, onError: (error) => faults.push(error) });
    const stalled = await stalledLegacySession(url);
    await waitFor(() => expect(stalled.stream.text()).toContain('id: '));
    stalled.stream.stall();

    const healthy = await connectHttpClient(url, { era: 'legacy' });
    const seqs = ticksHeardBy(healthy);
    await waitFor(() => expect(server.sessions()).toHaveLength(2));

    const run = await awaitEveryBroadcast(server);
    expectRunBounded(run);
    // Every event is in the store before it is written, so both sessions count as reached every time.
    expect(run.reached.every((n) => n === 2)).toBe(true);
    await expectAllInOrder(seqs);

    // The policy: the GET stream is cut off and reported with the session id; the session lives on.
    expect(faults.some((f) => f.message.includes(stalled.id) && /cut off/.test(f.message))).toBe(true);
    expect(server.sessions().map((s) => s.id)).toContain(stalled.id);
    stalled.stream.resume();
    await stalled.stream.closed;
    const before = ticksIn(stalled.stream.text());
    const resumed = await fetch(url, {
      headers: { accept: 'text/event-stream', 'mcp-session-id': stalled.id, 'mcp-protocol-version': LEGACY, 'last-event-id': before.lastEventId! },
    });
    const reader = resumed.body!.getReader();
    let text = '';
    while (ticksIn(text).seqs.length + before.seqs.length < BROADCASTS) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    await reader.cancel();
    expect([...before.seqs, ...ticksIn(text).seqs]).toEqual(Array.from({ length: BROADCASTS }, (_, i) => i));
  }, 120_000);

  it('modern: broadcasts resolve, the healthy listener gets all in order, the stalled listen stream ends and is reported', async () => {
    const failures = deliveryFailures();
    const server = createDemoServer({ onDiagnostic: failures.hook });
    const { url } = await startHttp(server, LIMITS);
    const listen = { jsonrpc: '2.0', id: 'stalled', method: 'subscriptions/listen', params: { _meta: envelope(), notifications: { 'tidings/notifications': [TICK] } } };
    const stalled = await openStallingReader(url, {
      method: 'POST',
      headers: postHeaders({ 'mcp-protocol-version': MODERN, 'mcp-method': 'subscriptions/listen' }),
      body: JSON.stringify(listen),
    });
    onCleanup(() => stalled.destroy());
    await waitFor(() => expect(stalled.text()).toContain('notifications/subscriptions/acknowledged'));
    const stalledId = server.sessions()[0]!.id;
    stalled.stall();

    const healthy = await connectHttpClient(url, { era: 'modern' });
    const seqs = ticksHeardBy(healthy);
    await waitFor(() => expect(server.sessions()).toHaveLength(2));

    const run = await awaitEveryBroadcast(server);
    expectRunBounded(run);
    await expectAllInOrder(seqs);

    // The policy: the listen stream ends (its client listens again), its refusal reported with its id.
    expect(failures.recipients()).toEqual(new Set([stalledId]));
    expect(server.sessions().map((s) => s.id)).not.toContain(stalledId);
    stalled.resume();
    await stalled.closed;
  }, 120_000);
});
