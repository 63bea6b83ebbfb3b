import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { META } from '../../src/constants.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import { createMemoryTransportPair } from '../../src/memoryTransport.js';
import { createServer, type Server } from '../../src/server/createServer.js';
import { CreateMessageResultSchema, ElicitResultSchema, ListRootsResultSchema } from '../../src/schemas/results.js';
import { createFakeClock, type FakeClock } from '../helpers/fakeClock.js';
import { attachRawPeer, type RawPeer } from '../helpers/rawPeer.js';

/** The inputs the tool asks for, in rounds (PROTOCOL.md §input-rounds), with the schema each answer must fit. */
const ROUND_ONE = { user_name: ElicitResultSchema, 'sampling-1': CreateMessageResultSchema, 'roots-1': ListRootsResultSchema } as const;
const ROUND_TWO = { 'elicitation-1': ElicitResultSchema } as const;
type Key = keyof typeof ROUND_ONE | keyof typeof ROUND_TWO;

const VALID: Record<Key, fc.Arbitrary<unknown>> = {
  user_name: fc.constantFrom({ action: 'accept', content: { name: 'Ada' } }, { action: 'decline' }),
  'elicitation-1': fc.constantFrom({ action: 'accept', content: { color: 'red' } }, { action: 'cancel' }),
  'sampling-1': fc.constant({ role: 'assistant', content: { type: 'text', text: 'Hi' }, model: 'm' }),
  'roots-1': fc.constantFrom({ roots: [{ uri: 'file:///x', name: 'x' }] }, { roots: [] }),
};
const SEALED_ANSWERS = { user_name: { action: 'accept', content: { name: 'Bo' } }, 'sampling-1': { role: 'assistant', content: { type: 'text', text: 'Yo' }, model: 'm' }, 'roots-1': { roots: [] } };

function createAskingServer(clock: FakeClock, onDiagnostic: (d: Diagnostic) => void): Server {
  const server = createServer({ name: 's', version: '1' }, { clock, onDiagnostic, requestStateSecret: 'one key' });
  server.tool({ name: 'greet', input: z.object({ style: z.string() }) }, async (_args, ctx) => {
    await Promise.all([
      ctx.elicit({ message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } }, { key: 'user_name' }),
      ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: '?' } }], maxTokens: 5 }),
      ctx.listRoots(),
    ]);
    await ctx.elicit({ message: 'Color?', requestedSchema: { type: 'object', properties: { color: { type: 'string' } } } });
    return 'done';
  });
  return server;
}

const envelope = { [META.protocolVersion]: '2026-07-28', [META.clientCapabilities]: { elicitation: {}, sampling: {}, roots: {} } };

/**
 * Sends one modern tools/call and returns its response. Sealing and opening use Web Crypto, which
 * completes off the event loop, so this turns the loop (and the fake clock, for the round's
 * one-macrotask gather) until the answer is there; an answer that never comes is a hang.
 */
async function call(peer: RawPeer, clock: FakeClock, id: number, params: Record<string, unknown>): Promise<Record<string, any>> {
  await peer.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'greet', ...params, _meta: envelope } });
  const deadline = Date.now() + 2000;
  while (!peer.responseTo(id)) {
    if (Date.now() > deadline) throw new Error(`tools/call ${id} was never answered: the round hangs`);
    await clock.advance(0);
  }
  return peer.responseTo(id)!;
}

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

function connect() {
  const clock = createFakeClock();
  const diagnostics: Diagnostic[] = [];
  const server = createAskingServer(clock, (d) => diagnostics.push(d));
  servers.push(server);
  const [clientSide, serverSide] = createMemoryTransportPair();
  server.connect(serverSide);
  return { clock, diagnostics, peer: attachRawPeer(clientSide) };
}

/** A genuine state sealed for `{ style: 'warm' }` that carries the three answers of round one. */
let sealed: string;
beforeAll(async () => {
  const { clock, peer } = connect();
  const answer = await call(peer, clock, 1, { arguments: { style: 'warm' }, inputResponses: SEALED_ANSWERS });
  sealed = answer.result.requestState;
  expect(Object.keys(answer.result.inputRequests)).toEqual(['elicitation-1']);
});

const KEYS = [...Object.keys(ROUND_ONE), ...Object.keys(ROUND_TWO)] as Key[];
const answerFor = (key: Key) => fc.oneof({ weight: 3, arbitrary: VALID[key] }, fc.jsonValue({ maxDepth: 2 }), fc.constant({ action: 'maybe' }));
const inputResponses = fc.oneof(
  { weight: 6, arbitrary: fc.record(Object.fromEntries(KEYS.map((k) => [k, answerFor(k)])) as Record<Key, fc.Arbitrary<unknown>>, { requiredKeys: [] }) },
  fc.constantFrom<unknown>(undefined, null, [], ['user_name'], 'user_name', 3),
);
/** The genuine state, the same with one character changed, made-up strings, and values that are not strings. */
const requestState = fc.oneof(
  fc.constantFrom<unknown>(undefined, 'SEALED'),
  fc.nat().map((at) => ({ tamperAt: at })),
  fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom<unknown>(42, null, {}, ['x'])),
);

describe('input rounds on the server', () => {
  it('end every tools/call in a result or a −32602, whatever requestState and inputResponses say; never a crash or a hang', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('warm', 'cold'), requestState, inputResponses, async (style, rawState, responses) => {
        const { clock, diagnostics, peer } = connect();
        let state = rawState === 'SEALED' ? sealed : rawState;
        if (typeof rawState === 'object' && rawState !== null && 'tamperAt' in rawState) {
          const at = (rawState.tamperAt as number) % sealed.length;
          state = sealed.slice(0, at) + (sealed[at] === 'A' ? 'B' : 'A') + sealed.slice(at + 1);
        }
        const params: Record<string, unknown> = { arguments: { style } };
        if (state !== undefined) params.requestState = state;
        if (responses !== undefined) params.inputResponses = responses;
        const answer = await call(peer, clock, 2, params);

        // The model: what the server may use, then the rounds of the handler.
        const onWire = JSON.parse(JSON.stringify(params)) as Record<string, unknown>;
        const r = onWire.inputResponses;
        const malformed =
          ('requestState' in onWire && typeof onWire.requestState !== 'string') ||
          ('inputResponses' in onWire && (typeof r !== 'object' || r === null || Array.isArray(r))) ||
          ('requestState' in onWire && !(onWire.requestState === sealed && style === 'warm'));
        let want: { error: number } | { asks: string[] } | 'complete';
        if (malformed) want = { error: -32602 };
        else {
          const known: Record<string, unknown> = { ...(onWire.requestState ? SEALED_ANSWERS : {}), ...(r as object) };
          want = 'complete';
          for (const round of [ROUND_ONE, ROUND_TWO] as Array<Record<string, { safeParse(v: unknown): { success: boolean } }>>) {
            const entries = Object.entries(round);
            if (entries.some(([k, schema]) => k in known && !schema.safeParse(known[k]).success)) want = { error: -32602 };
            else if (entries.some(([k]) => !(k in known))) want = { asks: entries.map(([k]) => k).filter((k) => !(k in known)) };
            else continue;
            break;
          }
        }
        if (typeof want === 'object' && 'error' in want) {
          expect(answer.error?.code).toBe(want.error);
        } else if (want === 'complete') {
          expect(answer.result).toMatchObject({ resultType: 'complete', content: [{ type: 'text', text: 'done' }] });
        } else {
          expect(answer.result?.resultType).toBe('input_required');
          expect(Object.keys(answer.result.inputRequests).sort()).toEqual(want.asks.sort());
          expect(typeof answer.result.requestState).toBe('string');
        }
        // Nothing the client sent made a handler throw anything but a ProtocolError.
        expect(diagnostics.filter((d) => d.kind === 'handler-error')).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
