import { describe, expect, it } from 'vitest';
import { ListenManager } from '../src/client/listenManager.js';
import type { Engine } from '../src/engine/createEngine.js';
import type { SubscriptionFilter } from '../src/schemas/primitives.js';
import { createFakeClock } from './helpers/fakeClock.js';

/** One subscriptions/listen the manager sent: its filter, and whether it was ended. */
interface Sent {
  readonly id: number;
  readonly filter: SubscriptionFilter;
  readonly signal: AbortSignal;
}

/** A manager over an engine that only records listen requests; the test acknowledges them by hand. */
function setup() {
  const sent: Sent[] = [];
  let wanted: SubscriptionFilter = {};
  const engine = {
    closed: false,
    request(_method: string, params: { notifications: SubscriptionFilter }, options: { signal: AbortSignal; onRequestId: (id: number) => void }) {
      const id = sent.length + 1;
      options.onRequestId(id);
      sent.push({ id, filter: params.notifications, signal: options.signal });
      return new Promise((_resolve, reject) => options.signal.addEventListener('abort', () => reject(options.signal.reason)));
    },
  } as unknown as Engine;
  const manager = new ListenManager({ engine, clock: createFakeClock(), report: () => {}, retryMs: 100, wanted: () => wanted, envelope: () => ({}) });
  const ack = (id: number) => manager.acknowledged({ notifications: sent[id - 1]!.filter, _meta: { 'io.modelcontextprotocol/subscriptionId': id } });
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    sent,
    manager,
    ack,
    turn,
    want: (filter: SubscriptionFilter) => {
      wanted = filter;
      return manager.sync();
    },
  };
}

describe('ListenManager (PROTOCOL.md §listen, §tasks)', () => {
  it('changes made while a subscription waits for its acknowledgement go out in one reopen after it', async () => {
    const { sent, ack, want, turn } = setup();
    const first = want({ toolsListChanged: true });
    await turn();
    expect(sent).toHaveLength(1);
    let settled: unknown = 'pending';
    const waiting = [first, want({ toolsListChanged: true, promptsListChanged: true })];
    await turn();
    waiting.push(want({ toolsListChanged: true, promptsListChanged: true, resourcesListChanged: true }));
    void Promise.all(waiting).then((values) => (settled = values));
    await turn();
    expect(sent).toHaveLength(1);

    ack(1);
    await turn();
    // Its acknowledgement answers nobody yet: every waiter asked for what is not open so far.
    expect(settled).toBe('pending');
    expect(sent.map((s) => s.filter)).toEqual([{ toolsListChanged: true }, { toolsListChanged: true, promptsListChanged: true, resourcesListChanged: true }]);
    ack(2);
    await turn();
    expect(settled).toEqual([sent[1]!.filter, sent[1]!.filter, sent[1]!.filter]);
    // The one it replaced ended once the new one was acknowledged.
    expect(sent.map((s) => s.signal.aborted)).toEqual([true, false]);
  });

  it('a filter that becomes empty while a reopen is on its way ends both the reopen and the subscription it was to replace', async () => {
    const { sent, ack, want, turn } = setup();
    void want({ toolsListChanged: true });
    await turn();
    ack(1);
    void want({ promptsListChanged: true });
    await turn();
    expect(sent).toHaveLength(2);
    expect(await want({})).toBeUndefined();
    expect(sent.map((s) => s.signal.aborted)).toEqual([true, true]);
  });
});
