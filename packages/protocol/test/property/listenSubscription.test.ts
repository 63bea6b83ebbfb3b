import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { META } from '../../src/constants.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import { ProtocolError } from '../../src/errors.js';
import { createMemoryTransportPair } from '../../src/memoryTransport.js';
import { createServer, type Server } from '../../src/server/createServer.js';
import { acknowledgeListen, closeListen, openListen, type ListenSubscriptionState } from '../../src/session/listenSubscription.js';
import { createFakeClock } from '../helpers/fakeClock.js';
import { attachRawPeer } from '../helpers/rawPeer.js';

// Bounded so each property stays well under 2 s; fast-check prints the seed of any failure.
const REASONS = ['cancelled', 'shutdown', 'disconnected'] as const;
type Reason = (typeof REASONS)[number];

describe('listen subscription state machine (pure transitions)', () => {
  type Step = { op: 'ack' } | { op: 'close'; reason: Reason };
  const step: fc.Arbitrary<Step> = fc.oneof(fc.constant({ op: 'ack' as const }), fc.constantFrom(...REASONS).map((reason) => ({ op: 'close' as const, reason })));

  it('acknowledging → open → closed; acknowledging twice or after close is a ProtocolError; the first close reason wins', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 4 }), fc.integer()), fc.array(step, { maxLength: 12 }), (id, steps) => {
        const filter = Object.freeze({ toolsListChanged: true });
        let state: ListenSubscriptionState = Object.freeze(openListen(id, filter, filter));
        expect(state.kind).toBe('acknowledging');
        let firstReason: Reason | undefined;
        for (const s of steps) {
          const legal = s.op === 'close' || state.kind === 'acknowledging';
          let next: ListenSubscriptionState;
          try {
            next = s.op === 'ack' ? acknowledgeListen(state) : closeListen(state, s.reason);
          } catch (error) {
            expect(error).toBeInstanceOf(ProtocolError);
            expect(legal).toBe(false);
            continue;
          }
          // An illegal step must throw, never return quietly.
          expect(legal).toBe(true);
          // Invariant: the subscription keeps its id in every state.
          expect(next.id).toBe(id);
          if (s.op === 'ack') expect(next).toEqual({ kind: 'open', id, requested: filter, honoured: filter });
          else {
            firstReason ??= s.reason;
            expect(next).toEqual({ kind: 'closed', id, reason: firstReason });
          }
          state = Object.freeze(next);
        }
      }),
      { numRuns: 200 },
    );
  });
});

// ————— the subscription as serveListen drives it, over a memory pair with a fake clock —————

const IDS = ['a', 'b', 0, 7] as const;
type Id = (typeof IDS)[number];
const WATCHED = 'test://watched';
const CUSTOM_KEY = 'tidings/notifications';

type Action =
  | { a: 'listen'; id: Id; filter: Record<string, unknown> }
  | { a: 'cancel'; id: Id }
  | { a: 'tools-changed' | 'custom' | 'updated' | 'client-close' | 'shutdown' };

/** Filters as a client might send them, valid or not: each key absent, well typed, or of the wrong type. */
const filter = fc.record(
  {
    toolsListChanged: fc.constantFrom(true, false, 'yes'),
    promptsListChanged: fc.constantFrom(true, false),
    resourceSubscriptions: fc.oneof(fc.subarray([WATCHED, 'test://other']), fc.constant([1])),
    [CUSTOM_KEY]: fc.oneof(fc.subarray(['custom/a', 'notifications/tools/list_changed', 'custom/b']), fc.constant('custom/a')),
  },
  { requiredKeys: [] },
);

const action: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: fc.record({ a: fc.constant('listen' as const), id: fc.constantFrom(...IDS), filter }), weight: 4 },
  { arbitrary: fc.record({ a: fc.constant('cancel' as const), id: fc.constantFrom(...IDS) }), weight: 2 },
  { arbitrary: fc.constantFrom(...(['tools-changed', 'custom', 'updated'] as const).map((a) => ({ a }))), weight: 4 },
  { arbitrary: fc.constantFrom(...(['client-close', 'shutdown'] as const).map((a) => ({ a }))), weight: 1 },
);

/** What the server should grant, written from PROTOCOL.md §listen independently of honourFilter. */
function expectedHonoured(requested: Record<string, unknown>, has: { tools: boolean; resources: boolean }): Record<string, unknown> | 'invalid' {
  const wrongType = (key: string, ok: (v: unknown) => boolean) => key in requested && !ok(requested[key]);
  if (wrongType('toolsListChanged', (v) => typeof v === 'boolean')) return 'invalid';
  if (wrongType('resourceSubscriptions', (v) => Array.isArray(v) && v.every((u) => typeof u === 'string'))) return 'invalid';
  const honoured: Record<string, unknown> = {};
  if (requested.toolsListChanged === true && has.tools) honoured.toolsListChanged = true;
  // No prompt is registered, so the server has no prompts capability to honour.
  if (Array.isArray(requested.resourceSubscriptions) && has.resources) honoured.resourceSubscriptions = requested.resourceSubscriptions;
  const custom = requested[CUSTOM_KEY];
  if (Array.isArray(custom)) honoured[CUSTOM_KEY] = custom.filter((m) => !m.startsWith('notifications/'));
  return honoured;
}

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

describe('listen subscriptions as the server serves them', () => {
  it('acknowledge first with the honoured filter, get exactly what they asked for while open, nothing once closed', async () => {
    const has = fc.record({ tools: fc.boolean(), resources: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(has, fc.array(action, { maxLength: 16 }), async (caps, actions) => {
        const clock = createFakeClock();
        const diagnostics: Diagnostic[] = [];
        const server = createServer({ name: 's', version: '1' }, { clock, listChangedDebounceMs: 5, onDiagnostic: (d) => diagnostics.push(d) });
        servers.push(server);
        if (caps.tools) server.tool({ name: 't' }, () => 'ok');
        if (caps.resources) server.resource({ uri: WATCHED, name: 'w' }, () => 'x');
        const [clientSide, serverSide] = createMemoryTransportPair();
        server.connect(serverSide);
        const peer = attachRawPeer(clientSide);
        const envelope = { [META.protocolVersion]: '2026-07-28', [META.clientCapabilities]: {} };
        const open = new Map<Id, Record<string, unknown>>();
        let ended = false;
        for (const act of actions) {
          if (ended) {
            // Closed is terminal: nothing the server sends afterwards reaches anyone.
            expect(await server.broadcast('custom/a', { n: 2 })).toBe(0);
            await clock.advance(5);
            expect(server.sessions()).toEqual([]);
            continue;
          }
          const before = peer.received.length;
          // Who must get this step's notification: open subscriptions whose honoured filter names it.
          let expectReached: (honoured: Record<string, unknown>) => boolean = () => false;
          let method: string | undefined;
          let answered: Array<[Id, 'ok' | number]> = [];
          if (act.a === 'listen') {
            await peer.send({ jsonrpc: '2.0', id: act.id, method: 'subscriptions/listen', params: { _meta: envelope, notifications: act.filter } });
            await clock.advance(0);
            const want = expectedHonoured(act.filter, caps);
            if (open.has(act.id)) answered = [[act.id, -32600]];
            else if (want === 'invalid') answered = [[act.id, -32602]];
            else {
              // The acknowledgement is the subscription's first and only message so far.
              expect(peer.received.slice(before)).toEqual([
                { jsonrpc: '2.0', method: 'notifications/subscriptions/acknowledged', params: { _meta: { [META.subscriptionId]: act.id }, notifications: want } },
              ]);
              open.set(act.id, want);
            }
          } else if (act.a === 'cancel') {
            await peer.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: act.id, reason: 'done' } });
            await clock.advance(0);
            // A cancelled listen is never answered (PROTOCOL.md §cancellation).
            open.delete(act.id);
          } else if (act.a === 'tools-changed') {
            method = 'notifications/tools/list_changed';
            expectReached = (h) => h.toolsListChanged === true;
            const sent = server.sendToolListChanged();
            sent.catch(() => {});
            await clock.advance(5);
            if (caps.tools) expect(await sent).toBe([...open.values()].filter(expectReached).length);
            else await expect(sent).rejects.toBeInstanceOf(ProtocolError);
          } else if (act.a === 'custom') {
            method = 'custom/a';
            expectReached = (h) => Array.isArray(h[CUSTOM_KEY]) && (h[CUSTOM_KEY] as unknown[]).includes('custom/a');
            await server.broadcast('custom/a', { n: 1 });
            await clock.advance(0);
          } else if (act.a === 'updated') {
            method = 'notifications/resources/updated';
            expectReached = (h) => Array.isArray(h.resourceSubscriptions) && h.resourceSubscriptions.includes(WATCHED);
            const sent = server.resourceUpdated(WATCHED);
            sent.catch(() => {});
            await clock.advance(0);
            if (!caps.resources) await expect(sent).rejects.toBeInstanceOf(ProtocolError);
          } else if (act.a === 'client-close') {
            await clientSide.close();
            await clock.advance(0);
            open.clear();
            ended = true;
          } else {
            // Shutdown answers every open listen gracefully (PROTOCOL.md §listen), then closes.
            answered = [...open.keys()].map((id) => [id, 'ok']);
            await server.close();
            await clock.advance(0);
            open.clear();
            ended = true;
          }
          const arrived = peer.received.slice(before);
          const responses = arrived.filter((m) => m.method === undefined);
          expect(responses.map((r) => [r.id, r.error ? r.error.code : 'ok'])).toEqual(answered);
          for (const r of responses.filter((r) => r.result)) expect(r.result).toMatchObject({ resultType: 'complete', _meta: { [META.subscriptionId]: r.id } });
          if (method) {
            const tagged = arrived.filter((m) => m.method === method).map((m) => m.params._meta[META.subscriptionId]);
            const want = [...open].filter(([, h]) => expectReached(h)).map(([id]) => id);
            expect(tagged.sort()).toEqual(want.sort());
          }
          // Invariant: exactly the open subscriptions are recipients.
          expect(server.sessions().map((s) => s.kind)).toEqual([...open.keys()].map(() => 'listen'));
          if (ended) expect(peer.closed).toBe(true);
        }
        for (const d of diagnostics) expect(d.kind).not.toMatch(/handler-error|callback-error/);
      }),
      { numRuns: 150 },
    );
  });
});
