/** One SSE event of a legacy session, kept for replay after a dropped connection. */
export interface StoredEvent {
  /** The stream it was sent on: `0` is the session's GET stream, others are POST streams. */
  readonly streamId: string;
  /** Position among all events of its session; increases by one per event. */
  readonly seq: number;
  /** The serialised JSON-RPC message; empty for a priming event. */
  readonly data: string;
  /** Messages sent on its stream up to and including this one (a priming event counts none). */
  readonly position: number;
  /** The response that ends a POST stream: a node following the stream ends its connection after it. */
  readonly final?: boolean;
  /**
   * The cluster bus log's entry the notification came from (a shared
   * session's GET stream): a node taking the session over delivers what the
   * log kept after the last one (PROTOCOL.md §shared-sessions).
   */
  readonly entry?: string;
}

/** A stored event while it is being built. */
type EventDraft = { -readonly [K in keyof StoredEvent]: StoredEvent[K] };

/** An event with only the optional fields it has. */
export function storedEvent(streamId: string, seq: number, data: string, position: number, final?: boolean, entry?: string): StoredEvent {
  const event: EventDraft = { streamId, seq, data, position };
  if (final) event.final = true;
  if (entry !== undefined) event.entry = entry;
  return event;
}

/** The newest event of a stream as a node taking a session over needs it. */
export interface StreamTail {
  /** Seq of the stream's newest event; -1 when none is kept. */
  readonly seq: number;
  /** The newest bus log entry its events came from; undefined when none did. */
  readonly entry: string | undefined;
}

/**
 * Where a legacy session's SSE events wait for a client that reconnects with
 * `Last-Event-ID` (2025-11-25 transports §resumability). The handler calls
 * `append` for every event before writing it, `replay` when a client
 * resumes, and `deleteSession` when a session closes or expires. A method
 * may return a promise (a shared store); the handler keeps events in order.
 */
export interface EventStore {
  /** Keeps one event. A rejected promise is reported to `onError`; the event is still written live. */
  append(sessionId: string, event: StoredEvent): void | Promise<void>;
  /** The events of one stream after `afterSeq`, oldest first; an empty list when none are kept. */
  replay(sessionId: string, streamId: string, afterSeq: number): readonly StoredEvent[] | Promise<readonly StoredEvent[]>;
  /** Forgets every event of a session. */
  deleteSession(sessionId: string): void | Promise<void>;
}

/**
 * An event store the nodes of a cluster share, with what shared legacy
 * sessions need beside replay (PROTOCOL.md §shared-sessions): the node
 * holding a client's SSE connection follows the stream another node writes.
 */
export interface SharedEventStore extends EventStore {
  /**
   * Follows one stream of a session: `onEvents` gets the events kept after
   * `afterSeq` (perhaps none), then every event appended from then on, in
   * order, until the returned function is called. A failure to start goes
   * to `onError`; a store that fails later reports it its own way and goes
   * on from where it was once it answers again.
   */
  follow(
    sessionId: string,
    streamId: string,
    afterSeq: number,
    onEvents: (events: readonly StoredEvent[]) => void,
    onError: (error: unknown) => void,
  ): () => void;
  /** The seq of a stream's newest event, and the newest log entry its events came from. */
  tail(sessionId: string, streamId: string): Promise<StreamTail>;
}

/** Whether a store can serve shared sessions. */
export const isSharedEventStore = (store: EventStore | undefined): store is SharedEventStore =>
  typeof (store as Partial<SharedEventStore> | undefined)?.follow === 'function';

/** Options of {@link createInMemoryEventStore}. */
export interface InMemoryEventStoreOptions {
  /**
   * Events kept per session; the oldest go first (a client that was away
   * longer resumes after a gap, which the session reports to it with the
   * number of messages missed: PROTOCOL.md §resume-horizon).
   * A broadcast shares one string among all sessions, so an event costs
   * about 60 bytes per session beyond its text.
   * @default 2_000
   */
  readonly maxEventsPerSession?: number;
  /** Events older than this are dropped (checked when a session appends or replays). @default 300_000 (5 min) */
  readonly maxAgeMs?: number;
  /** Time source. @default Date.now */
  readonly now?: () => number;
}

interface SessionLog {
  /** Ring of events in append order; `head` is the index of the oldest. */
  events: Array<StoredEvent & { readonly at: number }>;
  head: number;
}

type Follower = { readonly streamId: string; readonly onEvents: (events: readonly StoredEvent[]) => void };

const copy = (event: StoredEvent): StoredEvent => storedEvent(event.streamId, event.seq, event.data, event.position, event.final, event.entry);

/**
 * The default {@link EventStore}: per session a bounded, time-limited log in
 * memory. `append` and `replay` are synchronous (no promise, no timer): the
 * hot path of every SSE event pays one array push. It can be followed, so
 * several handlers of one process may share it as a cluster would.
 */
export function createInMemoryEventStore(options: InMemoryEventStoreOptions = {}): SharedEventStore & { readonly size: number } {
  const maxEvents = Math.max(1, options.maxEventsPerSession ?? 2_000);
  const maxAge = options.maxAgeMs ?? 300_000;
  const now = options.now ?? Date.now;
  const logs = new Map<string, SessionLog>();
  const followers = new Map<string, Set<Follower>>();

  const prune = (log: SessionLog, at: number): void => {
    const { events } = log;
    while (events.length - log.head > maxEvents) log.head++;
    while (log.head < events.length && at - events[log.head]!.at > maxAge) log.head++;
    // Compact once the dropped prefix outweighs what is kept, so memory stays bounded.
    if (log.head > 64 && log.head * 2 > events.length) {
      log.events = events.slice(log.head);
      log.head = 0;
    }
  };

  const replay = (sessionId: string, streamId: string, afterSeq: number): StoredEvent[] => {
    const log = logs.get(sessionId);
    if (!log) return [];
    prune(log, now());
    // Each stream's seqs increase; streams written by different nodes interleave, so no search across them.
    const found: StoredEvent[] = [];
    for (let i = log.head; i < log.events.length; i++) {
      const event = log.events[i]!;
      if (event.streamId === streamId && event.seq > afterSeq) found.push(copy(event));
    }
    return found;
  };

  return {
    get size() {
      let total = 0;
      for (const log of logs.values()) total += log.events.length - log.head;
      return total;
    },
    append(sessionId, event) {
      let log = logs.get(sessionId);
      if (!log) logs.set(sessionId, (log = { events: [], head: 0 }));
      const at = now();
      // One literal with `at` on the hot path; the rare optional fields after it.
      const kept: EventDraft & { at: number } = { streamId: event.streamId, seq: event.seq, data: event.data, position: event.position, at };
      if (event.final) kept.final = true;
      if (event.entry !== undefined) kept.entry = event.entry;
      log.events.push(kept);
      prune(log, at);
      // Most appends have no follower: no lookup, no allocation for them.
      const following = followers.size === 0 ? undefined : followers.get(sessionId);
      if (following) for (const follower of following) if (follower.streamId === event.streamId) queueMicrotask(() => follower.onEvents([copy(event)]));
    },
    replay,
    deleteSession(sessionId) {
      logs.delete(sessionId);
    },
    follow(sessionId, streamId, afterSeq, onEvents) {
      const follower: Follower = { streamId, onEvents };
      const kept = replay(sessionId, streamId, afterSeq);
      queueMicrotask(() => follower.onEvents(kept));
      let set = followers.get(sessionId);
      if (!set) followers.set(sessionId, (set = new Set()));
      set.add(follower);
      return () => {
        set.delete(follower);
        if (set.size === 0 && followers.get(sessionId) === set) followers.delete(sessionId);
      };
    },
    async tail(sessionId, streamId) {
      const log = logs.get(sessionId);
      let seq = -1;
      for (let i = (log?.events.length ?? 0) - 1; i >= (log?.head ?? 0); i--) {
        const event = log!.events[i]!;
        if (event.streamId !== streamId) continue;
        if (seq === -1) seq = event.seq;
        if (event.entry !== undefined) return { seq, entry: event.entry };
      }
      return { seq, entry: undefined };
    },
  };
}
