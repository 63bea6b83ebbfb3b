import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { LEGACY_PROTOCOL_VERSIONS } from '../../src/constants.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import { ProtocolError } from '../../src/errors.js';
import { createMemoryTransportPair } from '../../src/memoryTransport.js';
import { createServer, type Server } from '../../src/server/createServer.js';
import {
  beginInitialize,
  closeSession,
  completeInitialize,
  NEW_SESSION,
  type LegacyHandshake,
  type LegacySessionState,
} from '../../src/session/legacySession.js';
import { createFakeClock, flush } from '../helpers/fakeClock.js';
import { attachRawPeer } from '../helpers/rawPeer.js';

// Bounded so each property stays well under 2 s; fast-check prints the seed of any failure.
const RUNS = { numRuns: 200 };

/** Deep-freezes a state so that a transition that mutates its input throws a TypeError (not a ProtocolError). */
function frozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) frozen(v);
  }
  return value;
}

const handshake: fc.Arbitrary<LegacyHandshake> = fc.record({
  protocolVersion: fc.oneof(fc.constantFrom(...LEGACY_PROTOCOL_VERSIONS), fc.string({ maxLength: 12 })),
  clientInfo: fc.option(fc.record({ name: fc.string({ maxLength: 8 }), version: fc.string({ maxLength: 4 }) }), { nil: undefined }),
  clientCapabilities: fc.constantFrom({}, { roots: {} }, { sampling: {}, elicitation: {} }),
});

type Step = { op: 'begin'; handshake: LegacyHandshake } | { op: 'complete' } | { op: 'close'; reason: string | undefined };

const step: fc.Arbitrary<Step> = fc.oneof(
  handshake.map((h) => ({ op: 'begin' as const, handshake: h })),
  fc.constant({ op: 'complete' as const }),
  fc.option(fc.string({ maxLength: 6 }), { nil: undefined }).map((reason) => ({ op: 'close' as const, reason })),
);

/** The transition table of PROTOCOL.md §sessions, written out independently of the source. */
function expectedKind(kind: LegacySessionState['kind'], s: Step): LegacySessionState['kind'] | 'illegal' {
  if (s.op === 'close') return 'closed';
  if (s.op === 'begin') return kind === 'new' ? 'initializing' : 'illegal';
  return kind === 'initializing' ? 'ready' : 'illegal';
}

describe('legacy session state machine (pure transitions)', () => {
  it('follows new → initializing → ready → closed; every other step is a ProtocolError; closed is terminal', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 20 }), (steps) => {
        let state: LegacySessionState = frozen(NEW_SESSION);
        let agreed: LegacyHandshake | undefined;
        let firstReason: { reason: string | undefined } | undefined;
        for (const s of steps) {
          const want = expectedKind(state.kind, s);
          let next: LegacySessionState | undefined;
          try {
            next = s.op === 'begin' ? beginInitialize(state, s.handshake) : s.op === 'complete' ? completeInitialize(state) : closeSession(state, s.reason);
          } catch (error) {
            // Anything but a ProtocolError (a TypeError from mutating a frozen state, say) fails here.
            expect(error).toBeInstanceOf(ProtocolError);
            expect((error as ProtocolError).code).toBe('InvalidRequest');
            expect(want).toBe('illegal');
            continue;
          }
          // An illegal step must throw, never return quietly.
          expect(want).not.toBe('illegal');
          expect(next.kind).toBe(want);
          if (s.op === 'begin') agreed = s.handshake;
          if (next.kind === 'initializing' || next.kind === 'ready') {
            // The handshake travels unchanged from `initialize` to `ready`.
            expect({ protocolVersion: next.protocolVersion, clientInfo: next.clientInfo, clientCapabilities: next.clientCapabilities }).toEqual(agreed);
          }
          if (next.kind === 'closed') {
            firstReason ??= { reason: s.op === 'close' ? s.reason : undefined };
            expect(next.reason).toBe(firstReason.reason);
          }
          state = frozen(next);
        }
      }),
      RUNS,
    );
  });
});

// ————— the same machine as ServerConnection drives it, over a memory pair with a fake clock —————

type Action =
  | { a: 'initialize'; version: string }
  | { a: 'initialize-bad' }
  | { a: 'initialized' }
  | { a: 'ping' }
  | { a: 'tools/list' }
  | { a: 'unknown' }
  | { a: 'garbage' }
  | { a: 'broadcast' }
  | { a: 'client-close' }
  | { a: 'server-close' };

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    arbitrary: fc
      .oneof({ arbitrary: fc.constantFrom(...LEGACY_PROTOCOL_VERSIONS), weight: 3 }, fc.string({ maxLength: 10 }))
      .map((version) => ({ a: 'initialize' as const, version })),
    weight: 3,
  },
  { arbitrary: fc.constantFrom(...(['initialize-bad', 'initialized', 'ping', 'tools/list', 'unknown', 'garbage', 'broadcast'] as const).map((a) => ({ a }))), weight: 6 },
  // Closing is rarer, so that most sequences get somewhere first.
  { arbitrary: fc.constantFrom({ a: 'client-close' as const }, { a: 'server-close' as const }), weight: 1 },
);

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

describe('legacy session as ServerConnection drives it', () => {
  it('answers every request by the session state, registers the session only while ready, and ends it for good on close', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { maxLength: 14 }), async (actions) => {
        const diagnostics: Diagnostic[] = [];
        const server = createServer({ name: 's', version: '1' }, { clock: createFakeClock(), onDiagnostic: (d) => diagnostics.push(d) });
        servers.push(server);
        server.tool({ name: 't' }, () => 'ok');
        const [clientSide, serverSide] = createMemoryTransportPair();
        const handle = server.connect(serverSide);
        const peer = attachRawPeer(clientSide);
        let kind: LegacySessionState['kind'] = 'new';
        let id = 0;
        for (const act of actions) {
          // Closed is terminal: the client can send nothing more, and what the server sends reaches nobody.
          if (kind === 'closed') {
            expect(await server.broadcast('custom/after', {})).toBe(0);
            await flush();
            expect(server.sessions()).toEqual([]);
            continue;
          }
          const before = peer.received.length;
          const reported = diagnostics.length;
          const requestId = ++id;
          const request = (method: string, params?: unknown) => peer.send({ jsonrpc: '2.0', id: requestId, method, ...(params ? { params } : {}) });
          let expectError: number | undefined;
          let expectResult = false;
          switch (act.a) {
            case 'initialize':
              await request('initialize', { protocolVersion: act.version, capabilities: {}, clientInfo: { name: 'c', version: '1' } });
              if (kind === 'new') (expectResult = true), (kind = 'initializing');
              else expectError = -32600;
              break;
            case 'initialize-bad':
              // Invalid params are refused whatever the state, and leave it unchanged.
              await request('initialize', { protocolVersion: 7 });
              expectError = -32602;
              break;
            case 'initialized':
              await peer.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
              await flush();
              // Out of turn it is not a silent no-op: it is reported (a notification cannot be answered).
              expect(diagnostics.slice(reported).map((d) => d.kind)).toEqual(kind === 'initializing' ? [] : ['notification-invalid']);
              if (kind === 'initializing') kind = 'ready';
              break;
            case 'broadcast':
              // A server-wide notification reaches the session exactly while it is ready.
              expect(await server.broadcast('custom/news', { n: 1 })).toBe(kind === 'ready' ? 1 : 0);
              break;
            case 'ping':
              await request('ping');
              expectResult = true;
              break;
            case 'tools/list':
              await request('tools/list');
              if (kind === 'new') expectError = -32600;
              else expectResult = true;
              break;
            case 'unknown':
              await request('no/such/method');
              expectError = kind === 'new' ? -32600 : -32601;
              break;
            case 'garbage':
              await peer.sendText('{"jsonrpc":"2.0", nope');
              break;
            case 'client-close':
              await clientSide.close();
              kind = 'closed';
              break;
            case 'server-close':
              await handle.close();
              kind = 'closed';
              break;
          }
          await flush();
          const replies = peer.received.slice(before);
          if (expectResult || expectError !== undefined) {
            // Exactly one response per request, with the code the state calls for.
            expect(replies).toHaveLength(1);
            expect(replies[0]!.id).toBe(requestId);
            if (expectResult) expect(replies[0]!.result).toBeDefined();
            else expect(replies[0]!.error?.code).toBe(expectError);
            if (act.a === 'initialize' && expectResult) expect(LEGACY_PROTOCOL_VERSIONS).toContain(replies[0]!.result.protocolVersion);
          } else if (act.a === 'broadcast') {
            expect(replies).toEqual(kind === 'ready' ? [{ jsonrpc: '2.0', method: 'custom/news', params: { n: 1 } }] : []);
          } else if (act.a === 'garbage') {
            expect(replies).toEqual([expect.objectContaining({ id: null, error: expect.objectContaining({ code: -32700 }) })]);
          } else {
            expect(replies).toEqual([]);
          }
          // Invariant: the session is a recipient exactly while it is ready.
          expect(server.sessions()).toHaveLength(kind === 'ready' ? 1 : 0);
          if (kind === 'closed') expect(peer.closed).toBe(true);
        }
        // Only the expected noise reaches the diagnostics hook: no handler ever threw a non-ProtocolError.
        for (const d of diagnostics) expect(['invalid-message', 'notification-invalid']).toContain(d.kind);
      }),
      { numRuns: 150 },
    );
  });
});
