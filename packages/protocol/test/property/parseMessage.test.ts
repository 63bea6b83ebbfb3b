import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics.js';
import { createEngine, type Engine } from '../../src/engine/createEngine.js';
import { ProtocolError } from '../../src/errors.js';
import { createMemoryTransportPair } from '../../src/memoryTransport.js';
import { JSONRPCMessageSchema, parseMessage, type InvalidMessageData } from '../../src/schemas/jsonrpc.js';
import { flush } from '../helpers/fakeClock.js';
import { attachRawPeer } from '../helpers/rawPeer.js';

// fast-check prints the seed of any failure; 200 runs per property stay far under 2 s.
const RUNS = { numRuns: 200 };

/** Valid messages of every kind, as templates for near misses. */
const valid = fc.oneof(
  fc.record({ jsonrpc: fc.constant('2.0'), id: fc.oneof(fc.string({ maxLength: 3 }), fc.integer()), method: fc.constantFrom('ping', 'tools/list'), params: fc.constant({ a: 1 }) }, { requiredKeys: ['jsonrpc', 'id', 'method'] }),
  fc.record({ jsonrpc: fc.constant('2.0'), method: fc.constant('notifications/x'), params: fc.constant({}) }, { requiredKeys: ['jsonrpc', 'method'] }),
  fc.record({ jsonrpc: fc.constant('2.0'), id: fc.oneof(fc.string({ maxLength: 3 }), fc.integer()), result: fc.constant({ ok: true }) }),
  fc.record({ jsonrpc: fc.constant('2.0'), id: fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.constant(null)), error: fc.constant({ code: -32600, message: 'm' }) }, { requiredKeys: ['jsonrpc', 'error'] }),
);
const KEYS = ['jsonrpc', 'id', 'method', 'params', 'result', 'error'] as const;
const wrong = fc.constantFrom<unknown>(undefined, null, '1.0', 2, 1.5, 2 ** 60, [], {}, 'x', { code: 1.5, message: 'm' }, { code: 1 });
/** Message-shaped objects: a valid one with up to two members removed or replaced, so every branch is reached. */
const messageLike = fc
  .tuple(valid, fc.array(fc.tuple(fc.constantFrom(...KEYS), wrong), { maxLength: 2 }))
  .map(([message, edits]) => {
    const edited: Record<string, unknown> = { ...message };
    for (const [key, value] of edits) edited[key] = value;
    return edited;
  });
/** Text as a transport delivers it: JSON of message-like objects, any JSON, and text that is not JSON. */
const text = fc.oneof(
  { weight: 4, arbitrary: messageLike.map((m) => JSON.stringify(m)) },
  fc.json({ maxDepth: 2 }),
  fc.string({ maxLength: 30 }),
  messageLike.map((m) => JSON.stringify(m).slice(0, -1)),
);

const isJson = (raw: string): boolean => {
  try {
    JSON.parse(raw);
    return true;
  } catch {
    return false;
  }
};
const isRequestId = (v: unknown): boolean => typeof v === 'string' || Number.isSafeInteger(v);

describe('parseMessage', () => {
  it('yields the message itself, ParseError for text that is not JSON, or InvalidRequest with a reason and the id a request can be answered with', () => {
    fc.assert(
      fc.property(text, (raw) => {
        let message;
        try {
          message = parseMessage(raw);
        } catch (error) {
          expect(error).toBeInstanceOf(ProtocolError);
          const failure = error as ProtocolError;
          if (!isJson(raw)) {
            expect([failure.code, failure.rpcCode]).toEqual(['ParseError', -32700]);
            return;
          }
          const value = JSON.parse(raw) as Record<string, unknown>;
          expect([failure.code, failure.rpcCode]).toEqual(['InvalidRequest', -32600]);
          expect(JSONRPCMessageSchema.safeParse(value).success).toBe(false);
          const data = failure.data as InvalidMessageData;
          expect(typeof data.reason).toBe('string');
          // The id is passed on only for something meant as a request (JSON-RPC 2.0 §5: a broken response is never answered).
          const object = typeof value === 'object' && value !== null && !Array.isArray(value);
          const meantAsRequest = object && (value.method !== undefined || (value.result === undefined && value.error === undefined));
          expect(data.id).toBe(meantAsRequest && isRequestId(value.id) ? value.id : undefined);
          return;
        }
        const value = JSON.parse(raw) as Record<string, unknown>;
        expect(JSONRPCMessageSchema.safeParse(value).success).toBe(true);
        // Unknown members kept; an error response without id reads as id null.
        expect(message).toEqual(value.error !== undefined && value.method === undefined && value.id === undefined ? { ...value, id: null } : value);
      }),
      RUNS,
    );
  });

  it('turns a value that cannot be read (a throwing getter, a revoked proxy) into InvalidRequest, never its own exception', () => {
    const hostile = fc.constantFrom<() => unknown>(
      () => Object.defineProperty({ jsonrpc: '2.0' }, 'method', { get: () => { throw new Error('boom'); }, enumerable: true }),
      () => {
        const { proxy, revoke } = Proxy.revocable({}, {});
        revoke();
        return proxy;
      },
    );
    fc.assert(
      fc.property(hostile, (make) => {
        expect(() => parseMessage(make())).toThrow(expect.objectContaining({ code: 'InvalidRequest' }));
      }),
      { numRuns: 10 },
    );
  });
});

// ————— the same text through the engine: the error reply, and the connection keeps reading —————

let engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.map((e) => e.close()));
  engines = [];
});

describe('bad input through the engine', () => {
  it('answers a broken request with its error and id (null when unreadable), never a broken response, and keeps reading', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(text, { maxLength: 6 }), async (texts) => {
        const [a, b] = createMemoryTransportPair();
        const diagnostics: Diagnostic[] = [];
        const engine = createEngine({ transport: a, handler: { request: () => ({ ok: true }), notification: () => {} }, onDiagnostic: (d) => diagnostics.push(d) });
        engines.push(engine);
        const peer = attachRawPeer(b);
        for (const [i, raw] of texts.entries()) {
          const before = peer.received.length;
          await peer.sendText(raw);
          // A marker request after the text: "nothing more arrives" is proven by its answer arriving alone.
          const marker = `marker-${i}`;
          await peer.send({ jsonrpc: '2.0', id: marker, method: 'ping' });
          await flush();
          const replies = peer.received.slice(before);
          expect(replies.at(-1)).toEqual({ jsonrpc: '2.0', id: marker, result: { ok: true } });
          const toText = replies.slice(0, -1);
          let failure: ProtocolError | undefined;
          let message;
          try {
            message = parseMessage(raw);
          } catch (error) {
            failure = error as ProtocolError;
          }
          if (failure) {
            const id = (failure.data as InvalidMessageData | undefined)?.id ?? null;
            expect(toText).toEqual([{ jsonrpc: '2.0', id, error: expect.objectContaining({ code: failure.rpcCode }) }]);
            expect(diagnostics.pop()?.kind).toBe('invalid-message');
          } else if (message!.method !== undefined && message!.id !== undefined) {
            // A valid request is answered.
            expect(toText).toEqual([{ jsonrpc: '2.0', id: message!.id, result: { ok: true } }]);
          } else {
            // Notifications and responses are never answered; a response nobody waits for is a diagnostic.
            expect(toText).toEqual([]);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
