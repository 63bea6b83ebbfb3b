import type { SharedSessionState } from '@tidings/protocol';

/** A shared legacy session as a node finds it in the store. */
export interface OpenedSession {
  readonly state: SharedSessionState;
  /** Whether the asking node is the session's home: the one delivering it server-initiated notifications. */
  readonly home: boolean;
  /** Seq of the last GET-stream event a client was sent (a GET without `Last-Event-ID` starts after it); -1 when none. */
  readonly delivered: number;
  /**
   * When the session was made, in ms by the store's clock (on Redis, the
   * clock of the bus log's entry ids when both live on one server).
   */
  readonly created: number;
}

/**
 * Where the legacy sessions of a cluster live, so any node serves any
 * session's requests (PROTOCOL.md §shared-sessions). Each session has a
 * *home*: the node that opened it, until that node stops being alive, when
 * the next node to open the session takes it over. A store knows which nodes
 * are alive from their calls (every node that calls it is, for a while).
 * `@tidings/redis` implements it on Redis; {@link createInMemorySessionStore}
 * serves several handlers that share one memory.
 */
export interface SessionStore {
  /** Keeps a new session, with `nodeId` as its home; it expires after `ttlMs` without activity. */
  create(sessionId: string, state: SharedSessionState, nodeId: string, ttlMs: number): Promise<void>;
  /** Replaces a session's state (not its home) and counts as activity; false when the session is gone. */
  update(sessionId: string, state: SharedSessionState, ttlMs: number): Promise<boolean>;
  /**
   * Reads a session for `nodeId`, which claims its home if the home is not
   * alive. With `ttlMs` it counts as activity (the session lives `ttlMs` from
   * now); without, it does not. Undefined when the session is gone
   * (expired, deleted, never made).
   */
  open(sessionId: string, nodeId: string, ttlMs?: number): Promise<OpenedSession | undefined>;
  /** Notes the seq of the last GET-stream event a client was sent. */
  delivered(sessionId: string, seq: number): Promise<void>;
  /** Forgets a session (the client deleted it). */
  delete(sessionId: string): Promise<void>;
  /** Whether the node `nodeId` signed life within the store's timeout (it runs, and used the store). */
  alive(nodeId: string): Promise<boolean>;
  /** The node `nodeId` stopped: it signs no more life, so its sessions' homes move at once. */
  leave(nodeId: string): Promise<void>;
}

/** Options of {@link createInMemorySessionStore}. */
export interface InMemorySessionStoreOptions {
  /** Time source. @default Date.now */
  readonly now?: () => number;
}

interface Kept {
  state: SharedSessionState;
  home: string;
  delivered: number;
  expires: number;
  readonly created: number;
}

/**
 * A {@link SessionStore} in memory, for several Streamable HTTP handlers of
 * one process acting as nodes (tests, a process with several listeners).
 * Every node is alive until it leaves.
 */
export function createInMemorySessionStore(options: InMemorySessionStoreOptions = {}): SessionStore {
  const now = options.now ?? Date.now;
  const sessions = new Map<string, Kept>();
  const stopped = new Set<string>();
  const live = (sessionId: string): Kept | undefined => {
    const kept = sessions.get(sessionId);
    if (kept && kept.expires <= now()) sessions.delete(sessionId);
    return kept && kept.expires > now() ? kept : undefined;
  };
  return {
    async create(sessionId, state, nodeId, ttlMs) {
      sessions.set(sessionId, { state, home: nodeId, delivered: -1, expires: now() + ttlMs, created: now() });
    },
    async update(sessionId, state, ttlMs) {
      const kept = live(sessionId);
      if (!kept) return false;
      kept.state = state;
      kept.expires = now() + ttlMs;
      return true;
    },
    async open(sessionId, nodeId, ttlMs) {
      const kept = live(sessionId);
      if (!kept) return undefined;
      if (ttlMs !== undefined) kept.expires = now() + ttlMs;
      if (stopped.has(kept.home) && !stopped.has(nodeId)) kept.home = nodeId;
      return { state: kept.state, home: kept.home === nodeId, delivered: kept.delivered, created: kept.created };
    },
    async delivered(sessionId, seq) {
      const kept = live(sessionId);
      if (kept) kept.delivered = Math.max(kept.delivered, seq);
    },
    async delete(sessionId) {
      sessions.delete(sessionId);
    },
    alive: async (nodeId) => !stopped.has(nodeId),
    leave: async (nodeId) => void stopped.add(nodeId),
  };
}
