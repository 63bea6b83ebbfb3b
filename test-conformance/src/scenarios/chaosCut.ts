import { check, checkEqual, ConformanceFailure, eventually } from '../assert.js';
import { checkClosedPromptly, within, type ChaosClient } from './chaosClient.js';
import type { CutProxy } from './chaosProxy.js';
import type { Random } from './chaosSeed.js';

/** One armed cut: told of each progress count the client gets, resolved once the connection was cut. */
export interface ArmedCut {
  /** Where the cut falls, for a failure message (`byte 4711 (reset)`, `progress 17 (SIGKILL)`). */
  readonly where: string;
  onProgress(count: number): void;
  readonly done: Promise<void>;
}

/** How one pairing breaks a client's connection mid-call, and what it promises afterwards. */
export interface CutPairing {
  /** A new client of the era under test, connected through the fault point. */
  client(): Promise<ChaosClient>;
  /**
   * Arms one cut of `target`'s connection at a point drawn from `random`,
   * within the first `events` progress notifications of the call that
   * follows (by bytes through a proxy, by count for a child process).
   */
  armCut(target: ChaosClient, events: number, random: Random): ArmedCut;
  /**
   * What the cut does to calls pending on it: `reject` (no reconnect policy:
   * they fail with ConnectionClosed and a new client is needed) or `reissue`
   * (modern Streamable HTTP sends a request whose stream broke again, under a
   * new id, and the same client goes on).
   */
  readonly afterCut: 'reject' | 'reissue';
  /** The server outlives the cut (in process), so it can be asked what became of the cut calls. */
  readonly serverSurvives: boolean;
}

/** Progress notifications of the call pending at the cut (the cut falls among them; then the call holds). */
export const BURST_EVENTS = 200;
/** Lower bounds on one progress notification's bytes on the wire (the cut falls before the burst ends). */
export const PROGRESS_EVENT_MIN_BYTES = 100;
/** The calls' own timeout; "promptly" is far below it. */
const CALL_TIMEOUT_MS = 30_000;
/** A pending call must settle this soon after the cut: a generous bound, not a timing assertion. */
const PROMPTLY_MS = 5_000;
/** Bound on the wait for the cut itself (the burst must reach it). */
const CUT_MS = 10_000;

/**
 * Cuts a client's connection while calls are pending on it, `rounds` times at
 * seeded points (2025-11-25 `basic/lifecycle` §timeouts; PROTOCOL.md
 * §transport): a held tool call that streamed some progress and, where the
 * cut kills the connection, two calls waiting without progress. Each pending
 * call rejects with ConnectionClosed (−32000) well within its timeout, or,
 * where the client re-issues, the call completes on a second run; the server
 * ends the orphaned handlers; then the client (re-issue) or a new client
 * (no reconnect policy) makes the next call successfully.
 */
export async function cutPendingCalls(p: CutPairing, random: Random, rounds: number): Promise<void> {
  for (let round = 1; round <= rounds; round++) {
    const a = await p.client();
    const key = `cut-${random.seed}-${round}-${random.int(0, 2 ** 30)}`;
    const options = { timeout: CALL_TIMEOUT_MS, maxTotalTimeout: CALL_TIMEOUT_MS };
    // Calls that stream nothing: a re-issuing client would run them again, so only where the cut kills.
    const probes = p.afterCut === 'reject' ? [1, 2].map((i) => a.client.callTool('cancellation_probe', { probe_id: `${key}-probe-${i}`, delay_ms: CALL_TIMEOUT_MS }, options)) : [];
    for (const call of probes) call.catch(() => {});
    // The cut may fall on the first bytes of the burst: the probes must be running on the server by then, or it never saw them.
    for (const i of [1, 2].slice(0, probes.length)) {
      await eventually(async () => checkEqual(await a.callText('probe_result', { probe_id: `${key}-probe-${i}` }), 'running', `round ${round}: cancellation_probe ${i} before the cut`), PROMPTLY_MS);
    }
    const cut = p.armCut(a, BURST_EVENTS, random);
    const burst = a.client.callTool(
      'chaos_progress_burst',
      { count: BURST_EVENTS, key, hold_first: true },
      { ...options, onProgress: (progress) => cut.onProgress(progress.progress) },
    );
    // Handled now, checked below: a rejection must not count as unhandled meanwhile.
    burst.catch(() => {});
    await within(cut.done, CUT_MS, `round ${round}: the cut at ${cut.where}`);

    if (p.afterCut === 'reissue') {
      const result = await within(
        burst.catch((error: unknown) => {
          throw new ConformanceFailure(`round ${round}: the call cut at ${cut.where} should have been re-issued and completed, but failed: ${String(error)}`);
        }),
        PROMPTLY_MS,
        `round ${round}: the call cut at ${cut.where}, re-issued`,
      );
      checkEqual(result.content, [{ type: 'text', text: `${key}: invocation 2` }], `round ${round}: the result of the re-issued call`);
      await eventually(async () => checkEqual(JSON.parse(await a.callText('chaos_report', { key })), { invocations: 2, aborted: 1, completed: 1 }, `round ${round}: the two runs on the server (the first ended by the cut)`), PROMPTLY_MS);
      checkEqual(await a.callText('echo', { message: key }), key, `round ${round}: the next call on the same client`);
      continue;
    }
    await checkClosedPromptly(burst, PROMPTLY_MS, `round ${round}: the progress call cut at ${cut.where}`);
    for (const [i, probe] of probes.entries()) await checkClosedPromptly(probe, PROMPTLY_MS, `round ${round}: cancellation_probe ${i + 1}`);
    const b = await within(p.client(), PROMPTLY_MS * 2, `round ${round}: a new client after the cut`);
    checkEqual(await b.callText('echo', { message: key }), key, `round ${round}: a call on a new client`);
    if (!p.serverSurvives) continue;
    await eventually(async () => {
      checkEqual(JSON.parse(await b.callText('chaos_report', { key })), { invocations: 1, aborted: 1, completed: 0 }, `round ${round}: the cut call on the server`);
      for (const i of [1, 2]) checkEqual(await b.callText('probe_result', { probe_id: `${key}-probe-${i}` }), 'aborted', `round ${round}: cancellation_probe ${i} on the server`);
    }, PROMPTLY_MS);
  }
}

/** Notifications broadcast while the listen stream is cut. */
const LISTEN_EVENTS = 300;
const BROADCAST_EVENT_MIN_BYTES = 50;

/**
 * Cuts a modern client's `subscriptions/listen` stream at a seeded point
 * while it carries numbered broadcasts (PROTOCOL.md §listen,
 * §streamable-http): the transport re-issues the listen, so broadcasts reach
 * the client again; what it got arrived once and in order (a listen stream
 * is not resumable, so some may be missed); the server dropped the cut
 * subscription, leaving one for the client.
 */
export async function cutListenStream(p: { client(): Promise<ChaosClient>; readonly proxy: CutProxy }, random: Random): Promise<void> {
  const a = await p.client();
  const got: number[] = [];
  let markers = 0;
  a.client.on('chaos/event', (params) => got.push((params as { n: number }).n));
  a.client.on('chaos/marker', () => markers++);
  await within(a.client.listening(), PROMPTLY_MS, 'the listen subscription');
  const cut = { at: random.int(1, LISTEN_EVENTS * BROADCAST_EVENT_MIN_BYTES), mode: random.pick(['reset', 'end'] as const) };
  const done = p.proxy.arm([cut]);
  await a.callText('chaos_broadcast_burst', { count: LISTEN_EVENTS, method: 'chaos/event' });
  await within(done, CUT_MS, `the cut of the listen stream at byte ${cut.at} (${cut.mode})`);
  // Polling with a bound, each round a new marker: the re-issued listen is in place once one arrives.
  await eventually(async () => {
    await a.callText('broadcast', { method: 'chaos/marker' });
    check(markers > 0, `no broadcast reached the client after its listen stream was cut at byte ${cut.at} (${cut.mode})`);
  }, CUT_MS);
  const disorder = got.findIndex((n, i) => i > 0 && n <= got[i - 1]!);
  check(disorder === -1, `listen events out of order or duplicated at index ${disorder}: ${got[disorder - 1]} then ${got[disorder]}`);
  await eventually(async () => {
    const recipients = (JSON.parse(await a.callText('list_sessions')) as Array<{ client?: string }>).filter((s) => s.client === a.name);
    checkEqual(recipients.length, 1, 'listen subscriptions of the client on the server after the cut');
  }, PROMPTLY_MS);
}
