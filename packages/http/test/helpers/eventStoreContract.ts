import { describe, expect, it } from 'vitest';
import type { EventStore, StoredEvent } from '@tidings/http';

/** Bounds a contract test asks of a store; a maker applies them with its own defaults for the rest. */
export interface EventStoreBounds {
  readonly maxEventsPerSession?: number;
  readonly maxAgeMs?: number;
}

/** Makes a fresh, empty store for one test; the caller releases it after the test. */
export type EventStoreMaker = (bounds: EventStoreBounds) => EventStore;

const event = (streamId: string, seq: number, position = seq, data = `{"n":${seq}}`): StoredEvent => ({ streamId, seq, data, position });

/**
 * What every {@link EventStore} does, whatever keeps the events: the in-memory
 * store (packages/http) and the Redis Streams store (packages/redis) run it.
 * It speaks only through the interface, awaiting each call as the handler does.
 */
export function describeEventStoreContract(name: string, make: EventStoreMaker): void {
  describe(`an event store ${name} keeps what a resuming client needs`, () => {
    it('replays one stream after the cursor, in order, and nothing of other streams or sessions', async () => {
      const store = make({});
      for (const e of [event('0', 1), event('7', 2), event('0', 3), event('0', 4)]) await store.append('s1', e);
      await store.append('s2', event('0', 1));
      expect(await store.replay('s1', '0', 1)).toEqual([event('0', 3), event('0', 4)]);
      expect(await store.replay('s1', '7', 0)).toEqual([event('7', 2)]);
      expect(await store.replay('s1', '0', 4)).toEqual([]);
      expect(await store.replay('unknown', '0', 0)).toEqual([]);
    });

    it('finds the events after any cursor of a long log of interleaved streams', async () => {
      const store = make({});
      const all = Array.from({ length: 300 }, (_, i) => event(String(i % 3), i + 1, Math.floor(i / 3) + 1));
      for (const e of all) await store.append('s', e);
      for (const cursor of [0, 1, 150, 290, 299, 300]) {
        for (const streamId of ['0', '1', '2']) {
          expect(await store.replay('s', streamId, cursor)).toEqual(all.filter((e) => e.streamId === streamId && e.seq > cursor));
        }
      }
    });

    it('keeps every field as given: an empty message, text that needs escaping, a position apart from seq', async () => {
      const store = make({});
      const kept = [event('0', 5, 1, ''), event('0', 6, 2, '{"t":"line\\nbreak é 🙂"}'), event('0', 9, 3, ' ')];
      for (const e of kept) await store.append('s', e);
      expect(await store.replay('s', '0', 0)).toEqual(kept);
    });

    it('keeps at most maxEventsPerSession, the newest, so a resume from before them is a visible gap', async () => {
      const store = make({ maxEventsPerSession: 3 });
      for (let seq = 1; seq <= 5; seq++) await store.append('s', event('0', seq));
      expect((await store.replay('s', '0', 0)).map((e) => e.seq)).toEqual([3, 4, 5]);
      await store.append('other', event('0', 1));
      expect((await store.replay('s', '0', 0)).map((e) => e.seq)).toEqual([3, 4, 5]);
    });

    it('replays nothing older than maxAgeMs', async () => {
      const store = make({ maxAgeMs: 1 });
      await store.append('s', event('0', 1));
      // Well past the 1 ms horizon on any clock; the assertion is about the state after, not about time.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await store.replay('s', '0', 0)).toEqual([]);
    });

    it('forgets a deleted session, and a session used again starts a new log', async () => {
      const store = make({});
      await store.append('s', event('0', 1));
      await store.append('t', event('0', 1));
      await store.deleteSession('s');
      await store.deleteSession('never-seen');
      expect(await store.replay('s', '0', 0)).toEqual([]);
      expect(await store.replay('t', '0', 0)).toEqual([event('0', 1)]);
      await store.append('s', event('0', 1));
      expect(await store.replay('s', '0', 0)).toEqual([event('0', 1)]);
    });
  });
}
