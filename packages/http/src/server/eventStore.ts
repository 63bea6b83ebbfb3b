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
  /** Ring of events in `seq` order; `head` is the index of the oldest. */
  events: Array<StoredEvent & { readonly at: number }>;
  head: number;
}

/**
 * The default {@link EventStore}: per session a bounded, time-limited log in
 * memory. `append` and `replay` are synchronous (no promise, no timer): the
 * hot path of every SSE event pays one array push.
 */
export function createInMemoryEventStore(options: InMemoryEventStoreOptions = {}): EventStore & { readonly size: number } {
  const maxEvents = Math.max(1, options.maxEventsPerSession ?? 2_000);
  const maxAge = options.maxAgeMs ?? 300_000;
  const now = options.now ?? Date.now;
  const logs = new Map<string, SessionLog>();

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
      log.events.push({ streamId: event.streamId, seq: event.seq, data: event.data, position: event.position, at });
      prune(log, at);
    },
    replay(sessionId, streamId, afterSeq) {
      const log = logs.get(sessionId);
      if (!log) return [];
      prune(log, now());
      const { events } = log;
      // Events are in seq order: binary-search the first one after the cursor.
      let lo = log.head;
      let hi = events.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (events[mid]!.seq <= afterSeq) lo = mid + 1;
        else hi = mid;
      }
      const found: StoredEvent[] = [];
      for (let i = lo; i < events.length; i++) {
        const event = events[i]!;
        if (event.streamId === streamId) found.push({ streamId, seq: event.seq, data: event.data, position: event.position });
      }
      return found;
    },
    deleteSession(sessionId) {
      logs.delete(sessionId);
    },
  };
}
