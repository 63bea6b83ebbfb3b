import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client } from '../../src/client/createClient.js';
import { answerInputRequests, MAX_INPUT_ROUNDS } from '../../src/client/inputRequests.js';
import { MAX_INPUT_REQUESTS } from '../../src/constants.js';
import { ProtocolError } from '../../src/errors.js';
import { createMemoryTransportPair } from '../../src/memoryTransport.js';
import { CallToolResultSchema } from '../../src/schemas/results.js';
import { createFakeClock, flush } from '../helpers/fakeClock.js';

const METHODS = ['elicitation/create', 'sampling/createMessage', 'roots/list'] as const;
const VALID_PARAMS = {
  'elicitation/create': { message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } },
  'sampling/createMessage': { messages: [{ role: 'user', content: { type: 'text', text: '?' } }], maxTokens: 5 },
  'roots/list': {},
};

/** One input request as a server might send it, well-formed or not. */
const inputRequest = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...METHODS).map((method) => ({ method, params: VALID_PARAMS[method] })) },
  fc.record({ method: fc.oneof(fc.constantFrom<unknown>(...METHODS, 'x/unknown'), fc.anything({ maxDepth: 1 })), params: fc.anything({ maxDepth: 2 }) }, { requiredKeys: [] }),
  fc.anything({ maxDepth: 1 }),
);
const inputRequests = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), inputRequest, { maxKeys: 4 }) },
  fc.anything({ maxDepth: 2 }),
  // Just past the bound of one round (PROTOCOL.md §input-rounds).
  fc.constant(Object.fromEntries(Array.from({ length: MAX_INPUT_REQUESTS + 1 }, (_, i) => [`r${i}`, { method: 'roots/list' }]))),
);

/** Rejections nobody handled: under Node's default policy each one crashes the client's process. */
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
beforeAll(() => void process.on('unhandledRejection', onUnhandled));
afterAll(() => void process.off('unhandledRejection', onUnhandled));

/** Answers like the client's own handlers: known methods get an answer, anything else MethodNotFound. */
async function answerLikeAClient(message: { id: unknown; method: string }): Promise<unknown> {
  if (!(METHODS as readonly string[]).includes(message.method)) throw new ProtocolError('MethodNotFound', `Method not found: ${message.method}`);
  return { to: message.method };
}

describe('answering input requests (client side)', () => {
  it('resolves with one answer per key, or rejects with a ProtocolError; never throws anything else, never leaves a rejection unhandled', async () => {
    await fc.assert(
      fc.asyncProperty(inputRequests, async (requests) => {
        unhandled.length = 0;
        let outcome: Record<string, unknown> | ProtocolError;
        try {
          outcome = await answerInputRequests(requests, answerLikeAClient, undefined);
        } catch (error) {
          expect(error).toBeInstanceOf(ProtocolError);
          outcome = error as ProtocolError;
        }
        await flush();
        expect(unhandled).toEqual([]);
        const entries = typeof requests === 'object' && requests !== null && !Array.isArray(requests) ? Object.entries(requests) : undefined;
        const wellFormed =
          requests === undefined ||
          (entries !== undefined &&
            entries.length <= MAX_INPUT_REQUESTS &&
            entries.every(([, r]) => typeof (r as { method?: unknown } | null)?.method === 'string'));
        if (!wellFormed) {
          expect(outcome).toMatchObject({ code: 'InvalidParams' });
          return;
        }
        const methods = (entries ?? []).map(([, r]) => (r as { method: string }).method);
        if (methods.some((m) => !(METHODS as readonly string[]).includes(m))) {
          expect(outcome).toMatchObject({ code: 'MethodNotFound' });
          return;
        }
        expect(outcome).toEqual(Object.fromEntries((entries ?? []).map(([k, r]) => [k, { to: (r as { method: string }).method }])));
      }),
      { numRuns: 200 },
    );
  });
});

describe('answering input requests: regressions', () => {
  it('a round with a request it cannot answer and one without a method rejects once, leaving nothing unhandled (found by the property above)', async () => {
    unhandled.length = 0;
    await expect(answerInputRequests({ a: { method: 'x/unknown' }, b: {} }, answerLikeAClient, undefined)).rejects.toMatchObject({ code: 'InvalidParams' });
    await flush();
    expect(unhandled).toEqual([]);
  });
});

// ————— the whole client against a server that forges every round —————

/** What a forging server answers a tools/call with: input_required rounds with any requestState, a final result, or junk. */
const forged = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record(
      { resultType: fc.constant('input_required'), inputRequests, requestState: fc.oneof(fc.string({ maxLength: 12 }), fc.anything({ maxDepth: 1 })) },
      { requiredKeys: ['resultType'] },
    ),
  },
  fc.constant({ resultType: 'complete', content: [{ type: 'text', text: 'ok' }] }),
  fc.record({ resultType: fc.constantFrom('complete', 'weird'), content: fc.anything({ maxDepth: 1 }) }, { requiredKeys: [] }),
);

let clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

describe('multi round-trip requests (client side) against a forging server', () => {
  it('end in a result or a ProtocolError within 16 rounds, echoing each requestState and answering each input request', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(forged, { minLength: 1, maxLength: MAX_INPUT_ROUNDS + 3 }), fc.boolean(), async (script, alwaysAsk) => {
        const [clientSide, serverSide] = createMemoryTransportPair();
        const calls: Array<Record<string, unknown>> = [];
        // JSON as the wire carries it: undefined members vanish.
        const onWire = script.map((r) => JSON.parse(JSON.stringify(r)) as Record<string, unknown>);
        const answerOf = (i: number) => (alwaysAsk ? onWire[i % onWire.length]! : onWire[Math.min(i, onWire.length - 1)]!);
        serverSide.start({
          message: (data) => {
            const m = JSON.parse(data as string);
            const reply = (result: unknown) => void serverSide.send(JSON.stringify({ jsonrpc: '2.0', id: m.id, result })).catch(() => {});
            if (m.method === 'server/discover') reply({ supportedVersions: ['2026-07-28'], capabilities: { tools: {} }, resultType: 'complete' });
            else if (m.method === 'tools/call') reply(answerOf(calls.push(m.params) - 1));
          },
          closed: () => {},
          error: () => {},
        });
        const client = createClient(
          { name: 'c', version: '1' },
          {
            era: 'modern',
            clock: createFakeClock(),
            roots: [{ uri: 'file:///x', name: 'x' }],
            onSamplingRequest: () => ({ role: 'assistant', content: { type: 'text', text: 'Hi' }, model: 'm' }),
            onElicitationRequest: () => ({ action: 'decline' }),
          },
        );
        clients.push(client);
        await client.connect(clientSide);
        unhandled.length = 0;
        let outcome: unknown = 'pending';
        client.callTool('t', {}).then(
          (value) => (outcome = value),
          (error: unknown) => (outcome = error),
        );
        // Every hop is a microtask over the memory pair: a bounded number of turns must settle it.
        for (let turn = 0; turn < 50 && outcome === 'pending'; turn++) await flush();
        expect(outcome).not.toBe('pending');
        expect(unhandled).toEqual([]);
        expect(calls.length).toBeLessThanOrEqual(1 + MAX_INPUT_ROUNDS);
        if (outcome instanceof Error) expect(outcome).toBeInstanceOf(ProtocolError);
        else {
          const last = answerOf(calls.length - 1);
          expect(last.resultType).not.toBe('input_required');
          expect(CallToolResultSchema.safeParse(last).success).toBe(true);
        }
        // Each retry echoes the state it was given and answers exactly what was asked.
        for (let i = 1; i < calls.length; i++) {
          const asked = answerOf(i - 1);
          expect(calls[i]!.requestState).toEqual(asked.requestState);
          expect(Object.keys(calls[i]!.inputResponses as object).sort()).toEqual(Object.keys(asked.inputRequests ?? {}).sort());
        }
      }),
      { numRuns: 150 },
    );
  });
});
