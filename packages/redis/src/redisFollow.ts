import type { StoredEvent } from '@tidings/http';
import { errorReporter, openRedisLink, type RedisConnection, type RedisConnectionOptions, type RedisLink } from './redisConnection.js';

/** One follower of one stream of a session's Redis Stream. */
interface Follower {
  readonly streamId: string;
  /** Seq of the last event handed over: the replay and the loop may both read an entry, it goes out once. */
  seq: number;
  readonly onEvents: (events: readonly StoredEvent[]) => void;
}

/** Entries one read takes at most per key. */
const COUNT = 512;

/** A stream entry's fields as the event store writes them. */
export function eventOf(message: Record<string, string>): StoredEvent {
  const { s, q, d, p, f, c } = message;
  const event: { -readonly [K in keyof StoredEvent]: StoredEvent[K] } = { streamId: s ?? '', seq: Number(q), data: d ?? '', position: Number(p) };
  if (f === '1') event.final = true;
  if (c !== undefined) event.entry = c;
  return event;
}

/**
 * Every follow of one event store on one blocking connection of its own
 * (PROTOCOL.md §shared-sessions): one `XREAD BLOCK` over the keys of all
 * followed sessions, each from the last entry read. A follow that adds a
 * key wakes the blocked read (`CLIENT UNBLOCK` from the store's other
 * connection), so its first events wait for no timeout. While Redis is away
 * the loop waits for the connection to come back and reads on from where it
 * was: nothing appended meanwhile is skipped (the outage is reported once,
 * to the store's `onError`).
 */
export class FollowLoop {
  readonly #options: RedisConnectionOptions;
  /** The store's command connection, which wakes the blocked one. */
  readonly #commands: RedisLink;
  readonly #blockMs: number;
  #link: RedisLink | undefined;
  #clientId: number | undefined;
  /** Followers by Redis key, and the id of the last entry read of each key. */
  readonly #followers = new Map<string, Set<Follower>>();
  readonly #cursors = new Map<string, string>();
  #running = false;
  #closed = false;
  #failing = false;
  readonly #report: (error: Error) => void;

  constructor(options: RedisConnectionOptions, commands: RedisLink) {
    this.#options = options;
    this.#commands = commands;
    this.#report = errorReporter(options);
    // Under the stall watch's limit: a blocked read must not look like a Redis that stopped answering.
    this.#blockMs = Math.max(10, Math.min(1_000, Math.floor((options.commandTimeoutMs ?? 5_000) / 3)));
  }

  /**
   * Adds a follower of `key` from `fromId` (the newest entry its replay saw)
   * and hands it what is appended after, events of its stream after `seq`.
   */
  add(key: string, fromId: string, streamId: string, seq: number, onEvents: Follower['onEvents']): () => void {
    const follower: Follower = { streamId, seq, onEvents };
    let set = this.#followers.get(key);
    if (!set) this.#followers.set(key, (set = new Set()));
    set.add(follower);
    const cursor = this.#cursors.get(key);
    // Reading an entry twice is harmless (seqs filter it), skipping one is not: the earlier cursor wins.
    if (cursor === undefined || compareIds(fromId, cursor) < 0) {
      this.#cursors.set(key, fromId);
      void this.#wake();
    }
    this.#start();
    return () => {
      set.delete(follower);
      if (set.size > 0 || this.#followers.get(key) !== set) return;
      this.#followers.delete(key);
      this.#cursors.delete(key);
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#followers.clear();
    // Closing waits for the commands in flight: the blocked read ends now rather than at its timeout.
    await this.#wake();
    await this.#link?.close();
  }

  #start(): void {
    if (this.#running || this.#closed) return;
    this.#link ??= openRedisLink(this.#options, async (client: RedisConnection) => {
      this.#clientId = Number(await client.clientId());
    });
    this.#running = true;
    void this.#loop().finally(() => (this.#running = false));
  }

  async #loop(): Promise<void> {
    while (!this.#closed && this.#followers.size > 0) {
      let read: Awaited<ReturnType<RedisConnection['xRead']>>;
      try {
        // The keys are taken when the read is sent, not before a wait for the connection: none added meanwhile waits a whole block.
        read = await this.#link!.call('follow events', (redis) =>
          redis.xRead([...this.#cursors].map(([key, id]) => ({ key, id })), { BLOCK: this.#blockMs, COUNT }),
        );
      } catch (error) {
        if (this.#closed) return;
        // Once per outage, not once per follower and retry: the link reconnects, and reading resumes where it was.
        if (!this.#failing) this.#report(new Error(`following events stopped, it goes on once Redis answers: ${error instanceof Error ? error.message : String(error)}`, { cause: error }));
        this.#failing = true;
        await new Promise((resolve) => setTimeout(resolve, 250));
        continue;
      }
      this.#failing = false;
      for (const stream of (read ?? []) as Array<{ name: string; messages: Array<{ id: string; message: Record<string, string> }> }>) {
        const last = stream.messages.at(-1);
        if (last && this.#cursors.has(stream.name)) this.#cursors.set(stream.name, last.id);
        this.#hand(stream.name, stream.messages.map((m) => eventOf(m.message)));
      }
    }
  }

  #hand(key: string, events: readonly StoredEvent[]): void {
    for (const follower of this.#followers.get(key) ?? []) {
      const fresh = events.filter((e) => e.streamId === follower.streamId && e.seq > follower.seq);
      if (fresh.length === 0) continue;
      follower.seq = fresh.at(-1)!.seq;
      follower.onEvents(fresh);
    }
  }

  /** Ends the blocked read now, so the next one includes a new key. */
  #wake(): Promise<void> {
    const id = this.#clientId;
    if (!this.#running || id === undefined || !this.#commands.ready) return Promise.resolve();
    return this.#commands.call('wake the follow loop', (redis) => redis.sendCommand(['CLIENT', 'UNBLOCK', String(id)])).then(
      () => {},
      () => {},
    );
  }
}

/** Orders two Redis stream entry ids (`ms-seq`). */
export function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am !== bm ? am - bm : (as ?? 0) - (bs ?? 0);
}
