import { EventsMissed } from '@tidings/protocol';
import { check, checkEqual } from '../assert.js';
import { checkExactlyOnce, within, type ChaosClient } from './chaosClient.js';
import type { Cut, CutProxy } from './chaosProxy.js';
import { cutOffsets, type Random } from './chaosSeed.js';

/** What the resume scenarios need: legacy Streamable HTTP clients connected through one cutting proxy. */
export interface ResumeSetup {
  /** Cuts every SSE response (request streams, the GET stream and their resumptions). */
  readonly proxy: CutProxy;
  /** A new legacy client through the proxy, its reconnect delays short enough for the bound. */
  client(): Promise<ChaosClient>;
  readonly random: Random;
}

/** Events per scenario and cuts among them (the brief: 0 lost, 0 duplicated over 1,000 events with 5 cuts). */
export const RESUME_EVENTS = 1000;
export const RESUME_CUTS = 5;
/** Bound on a whole burst with its cuts and resumptions; a hang fails here, not at the test timeout. */
const BURST_MS = 20_000;
/**
 * No cut before this many counted bytes: the first stream must deliver its
 * priming event (the first `Last-Event-ID`) before it is cut, or there is
 * nothing to resume from and the request fails by design.
 */
const FIRST_CUT_AFTER = 1_500;
/** Lower bounds on one event's bytes on the wire; every cut falls before the last event is through. */
const PROGRESS_EVENT_MIN_BYTES = 100;
const BROADCAST_EVENT_MIN_BYTES = 50;

/** `RESUME_CUTS` seeded cuts within the first `bytes` of the streams, each a seeded mode that leaves a stream resumable. */
function planCuts(random: Random, bytes: number): Cut[] {
  return cutOffsets(random, RESUME_CUTS, FIRST_CUT_AFTER, bytes).map((at) => ({ at, mode: random.pick(['end', 'silent'] as const) }));
}

/**
 * A legacy request's SSE stream, cut 5 times at seeded points while it
 * carries 1,000 numbered progress notifications (2025-11-25 transports
 * §resumability): the client resumes each time with `Last-Event-ID` and
 * receives every notification exactly once, in order, then the result of a
 * call that ran once (resumed, not sent again).
 */
export async function resumeRequestStream({ proxy, client, random }: ResumeSetup): Promise<void> {
  const a = await client();
  const key = `resume-request-${random.seed}-${random.int(0, 2 ** 30)}`;
  const seen: number[] = [];
  let missed = 0;
  a.client.on(EventsMissed, () => missed++);
  const cuts = planCuts(random, RESUME_EVENTS * PROGRESS_EVENT_MIN_BYTES);
  void proxy.arm(cuts);
  const result = await within(
    a.client.callTool('chaos_progress_burst', { count: RESUME_EVENTS, key }, { timeout: 60_000, onProgress: (p) => seen.push(p.progress) }),
    BURST_MS,
    `the call carrying ${RESUME_EVENTS} progress notifications through cuts at ${describeCuts(cuts)}`,
  );
  // Every cut falls before the last event's bytes, and the result follows the last event.
  checkEqual(proxy.cutsDone, RESUME_CUTS, 'cuts made');
  checkEqual(result.content, [{ type: 'text', text: `${key}: invocation 1` }], 'the result (the request ran once)');
  // The engine drops a repeated progress value before onProgress and reports it: count those too.
  const dropped = a.diagnostics.filter((d) => d.kind === 'progress-not-increasing').length;
  checkExactlyOnce(seen, RESUME_EVENTS, `progress through cuts at ${describeCuts(cuts)}`, dropped);
  checkEqual(missed, 0, 'EventsMissed notifications (the store keeps every event of this burst)');
  check(a.diagnostics.length === 0, `the client reported ${JSON.stringify(a.diagnostics.slice(0, 3))}`);
}

/**
 * The session's GET stream, cut 5 times at seeded points while it carries
 * 1,000 numbered broadcasts: the client reopens it with `Last-Event-ID` and
 * receives every notification exactly once, in order. A marker broadcast
 * after the burst proves nothing more comes: the stream is ordered, so once
 * the marker is in, every earlier event that will ever arrive has.
 */
export async function resumeGetStream({ proxy, client, random }: ResumeSetup): Promise<void> {
  const a = await client();
  const got: number[] = [];
  let missed = 0;
  a.client.on(EventsMissed, () => missed++);
  a.client.on('chaos/event', (params) => got.push((params as { n: number }).n));
  const marker = new Promise<void>((resolve) => a.client.on('chaos/marker', () => resolve()));
  const cuts = planCuts(random, RESUME_EVENTS * BROADCAST_EVENT_MIN_BYTES);
  void proxy.arm(cuts);
  const describe = `${RESUME_EVENTS} broadcasts on the GET stream through cuts at ${describeCuts(cuts)}`;
  checkEqual(await within(a.callText('chaos_broadcast_burst', { count: RESUME_EVENTS, method: 'chaos/event' }), BURST_MS, describe), '1', 'recipients of the burst');
  checkEqual(await a.callText('broadcast', { method: 'chaos/marker' }), '1', 'recipients of the marker');
  await within(marker, BURST_MS, `the marker after ${describe} (${got.length} of ${RESUME_EVENTS} in)`);
  checkEqual(proxy.cutsDone, RESUME_CUTS, 'cuts made');
  checkExactlyOnce(got, RESUME_EVENTS, describe);
  checkEqual(missed, 0, 'EventsMissed notifications (the store keeps every event of this burst)');
  check(a.diagnostics.length === 0, `the client reported ${JSON.stringify(a.diagnostics.slice(0, 3))}`);
}

/** `12345 (end), 40210 (silent), …`: where the cuts fell, for a failure message. */
export function describeCuts(cuts: readonly Cut[]): string {
  return cuts.map((c) => `${c.at} (${c.mode})`).join(', ');
}
