import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics.js';
import { createEngine, type Engine } from '../../src/engine/createEngine.js';
import { ProgressTracker, type Progress } from '../../src/engine/progressTracker.js';
import { createMemoryTransportPair } from '../../src/memoryTransport.js';
import { ProgressNotificationParamsSchema } from '../../src/schemas/notifications.js';
import { createFakeClock, flush } from '../helpers/fakeClock.js';
import { attachRawPeer } from '../helpers/rawPeer.js';

// Tokens a requester may register, and some it never does (a float is no valid token at all).
const TOKENS = ['t', 0] as const;
// Weighted towards registered tokens and small integers, so that repeats and near misses are common.
const token = fc.oneof({ weight: 4, arbitrary: fc.constantFrom<unknown>(...TOKENS) }, fc.constantFrom<unknown>('stranger', 2.5, -0, null, undefined, {}));
// Every kind of number, NaN, ±Infinity, -0 and negatives included, and things that are not numbers.
const number = fc.oneof(
  fc.double(),
  { weight: 3, arbitrary: fc.integer({ min: -3, max: 3 }) },
  fc.constantFrom<unknown>(NaN, Infinity, -Infinity, -0, '3', null, true),
);

/** Params of a `notifications/progress`, structured or not. */
const params = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        progressToken: token,
        // Mostly small integers, so that equal and decreasing values are frequent.
        progress: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: -3, max: 3 }) }, number),
        total: fc.oneof({ weight: 3, arbitrary: fc.nat(9) }, number),
        message: fc.oneof({ weight: 3, arbitrary: fc.string({ maxLength: 4 }) }, fc.constant<unknown>(5)),
      },
      { requiredKeys: ['progressToken', 'progress'] },
    ),
  },
  { weight: 1, arbitrary: fc.anything() },
);

type Op =
  | { op: 'register'; token: (typeof TOKENS)[number]; throws: boolean }
  | { op: 'release'; token: (typeof TOKENS)[number] }
  | { op: 'accept'; params: unknown };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('register' as const), token: fc.constantFrom(...TOKENS), throws: fc.boolean() }),
  fc.record({ op: fc.constant('release' as const), token: fc.constantFrom(...TOKENS) }),
  { weight: 4, arbitrary: fc.record({ op: fc.constant('accept' as const), params }) },
);

describe('progress tracker', () => {
  it('delivers only well-formed, strictly increasing progress of active tokens; reports everything else except late progress', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30, size: 'medium' }), (ops) => {
        const diagnostics: Diagnostic[] = [];
        const tracker = new ProgressTracker((d) => diagnostics.push(d));
        // The model: each active registration's delivered updates (and whether its listener throws), and tokens whose request finished.
        const active = new Map<unknown, { seen: Progress[]; throws: boolean }>();
        const finished = new Set<unknown>();
        let touches = 0;
        for (const o of ops) {
          if (o.op === 'register') {
            const seen: Progress[] = [];
            active.set(o.token, { seen, throws: o.throws });
            finished.delete(o.token);
            tracker.register(o.token, {
              onProgress: (p) => {
                seen.push(p);
                if (o.throws) throw new Error('listener bug');
              },
              touched: () => void touches++,
            });
            continue;
          }
          if (o.op === 'release') {
            if (active.delete(o.token)) finished.add(o.token);
            tracker.release(o.token);
            continue;
          }
          const before = { diagnostics: diagnostics.length, touches };
          const entry = active.get((o.params as { progressToken?: unknown } | null)?.progressToken);
          const delivered = entry?.seen.length ?? 0;
          const last = entry?.seen.at(-1)?.progress ?? -Infinity;
          // Never throws, whatever the params (a listener that throws included).
          const accepted = tracker.accept(o.params);
          // The oracle for "well-formed" is the notification's own schema.
          const wellFormed = ProgressNotificationParamsSchema.safeParse(o.params).success;
          const p = o.params as { progressToken: unknown; progress: number; total?: number; message?: string };
          // One comparison per step (what happened vs what must): cheap enough for 200 runs of 30 steps.
          const observed = {
            accepted,
            delivered: entry?.seen.slice(delivered) ?? [],
            touched: touches - before.touches,
            // Malformed params may be refused as invalid or, for a token that cannot be valid, as unknown.
            reported: diagnostics.slice(before.diagnostics).map((d) => (!wellFormed && /^progress-(invalid|unknown-token)$/.test(d.kind) ? 'refused' : d.kind)),
          };
          if (wellFormed && entry && p.progress > last) {
            const update = { progress: p.progress, ...(p.total === undefined ? {} : { total: p.total }), ...(p.message === undefined ? {} : { message: p.message }) };
            // A listener that throws is a callback-error, and the update still counts.
            expect(observed).toEqual({ accepted: true, delivered: [update], touched: 1, reported: entry.throws ? ['callback-error'] : [] });
            continue;
          }
          // Anything else is dropped: not delivered, no touch, and reported unless it trails its response (PROTOCOL.md §progress).
          const reported = !wellFormed ? ['refused'] : entry ? ['progress-not-increasing'] : finished.has(p.progressToken) ? [] : ['progress-unknown-token'];
          expect(observed).toEqual({ accepted: false, delivered: [], touched: 0, reported });
        }
        // Invariant: every registration's delivered progress is strictly increasing and finite.
        for (const { seen } of active.values()) {
          for (let i = 0; i < seen.length; i++) {
            expect(Number.isFinite(seen[i]!.progress)).toBe(true);
            if (i > 0) expect(seen[i]!.progress).toBeGreaterThan(seen[i - 1]!.progress);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('progress tracker regressions', () => {
  it('refuses a non-finite total as invalid instead of handing it to onProgress (found by the property above)', () => {
    for (const total of [NaN, Infinity, -Infinity]) {
      const diagnostics: Diagnostic[] = [];
      const seen: Progress[] = [];
      const tracker = new ProgressTracker((d) => diagnostics.push(d));
      tracker.register(0, { onProgress: (p) => void seen.push(p), touched: () => {} });
      expect(tracker.accept({ progressToken: 0, progress: 0, total })).toBe(false);
      expect(seen).toEqual([]);
      expect(diagnostics.map((d) => d.kind)).toEqual(['progress-invalid']);
    }
  });
});

// ————— the same through the engine: a request over a memory pair, a fake clock, a raw peer —————

let engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.map((e) => e.close()));
  engines = [];
});

describe('progress through the engine', () => {
  it('reaches onProgress before the response, strictly increasing; after the response nothing arrives and nothing is reported', async () => {
    const wire = fc.record(
      { progressToken: fc.constantFrom<unknown>('mine', 'other', 1), progress: number, total: number },
      { requiredKeys: ['progressToken', 'progress'] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(wire, { maxLength: 12 }), fc.array(wire, { maxLength: 4 }), async (beforeResponse, afterResponse) => {
        const diagnostics: Diagnostic[] = [];
        const clock = createFakeClock();
        const [a, b] = createMemoryTransportPair();
        const engine = createEngine({ transport: a, handler: { request: () => ({}), notification: () => {} }, clock, onDiagnostic: (d) => diagnostics.push(d) });
        engines.push(engine);
        const peer = attachRawPeer(b);
        const seen: number[] = [];
        let settledWith: number[] | undefined;
        const result = engine.request('tools/call', { name: 'x' }, { progressToken: 'mine', onProgress: (p) => void seen.push(p.progress) });
        void result.then(() => (settledWith = [...seen]));
        await flush();
        const id = peer.received[0]!.id;
        // What the wire carries after JSON: NaN and ±Infinity become null.
        const onWire = (n: Record<string, unknown>) => JSON.parse(JSON.stringify(n)) as Record<string, unknown>;
        const want: number[] = [];
        let reported = 0;
        for (const n of beforeResponse.map(onWire)) {
          await peer.send({ jsonrpc: '2.0', method: 'notifications/progress', params: n });
          const ok = ProgressNotificationParamsSchema.safeParse(n).success && n.progressToken === 'mine';
          if (ok && (n.progress as number) > (want.at(-1) ?? -Infinity)) want.push(n.progress as number);
          else reported++;
        }
        await peer.send({ jsonrpc: '2.0', id, result: {} });
        for (const n of afterResponse.map(onWire)) {
          await peer.send({ jsonrpc: '2.0', method: 'notifications/progress', params: n });
          // Late progress of the finished request is quiet; anything malformed or foreign is still reported.
          if (!(ProgressNotificationParamsSchema.safeParse(n).success && n.progressToken === 'mine')) reported++;
        }
        await clock.advance(0);
        await result;
        expect(seen).toEqual(want);
        expect(settledWith).toEqual(want);
        expect(diagnostics.filter((d) => d.kind.startsWith('progress-'))).toHaveLength(reported);
        expect(diagnostics).toHaveLength(reported);
      }),
      { numRuns: 150 },
    );
  });
});
