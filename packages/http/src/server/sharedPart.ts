import { TransportError, type ConnectedClient, type Server, type SharedSessionState } from '@tidings/protocol';
import type { EventCursor } from '@tidings/protocol/http';
import { isSharedEventStore, type EventStore, type SharedEventStore } from './eventStore.js';
import { FollowedStream, type FollowHost } from './followedStream.js';
import type { OpenedSession, SessionStore } from './sessionStore.js';
import { primeAt } from './sessionEvents.js';
import type { KeepAliveHub } from './sseHub.js';
import { SseStream } from './sseStream.js';

/** What the shared sessions of one handler use (PROTOCOL.md §shared-sessions). */
export interface SharedContext {
  readonly sessions: SessionStore;
  readonly events: SharedEventStore;
  /**
   * This handler's id in the store: the home of the sessions it opened or
   * took over, alive while it runs, and the prefix of its POST streams' ids
   * (so a node following one knows whose it is).
   */
  readonly handlerId: string;
  /** A session idle this long on every node expires. */
  readonly ttlMs: number;
  readonly hub: KeepAliveHub;
  readonly retryMs: number | undefined;
  readonly onError: (error: TransportError) => void;
}

/** Characters of a handler id: random base-36, so stream ids stay within the 16 an event id allows. */
const HANDLER_ID_LENGTH = 6;

/** The handler writing a POST stream, from the stream's id. */
export const writerOf = (streamId: string): string => streamId.slice(0, HANDLER_ID_LENGTH);

/** The shared context of a handler given a session store; its event store must be one the nodes share. */
export function sharedContext(
  sessions: SessionStore,
  events: EventStore | undefined,
  handler: { server: Server; hub: KeepAliveHub; retryMs: number; onError: (error: TransportError) => void; ttlMs: number },
): SharedContext {
  if (!isSharedEventStore(events)) {
    throw new TypeError('sessionStore needs an eventStore the nodes share and can follow (createRedisEventStore from @tidings/redis)');
  }
  const handlerId = Array.from({ length: HANDLER_ID_LENGTH }, () => Math.floor(Math.random() * 36).toString(36)).join('');
  // What this node sends then goes through the bus's log, where a node taking over a dead home's sessions finds it.
  handler.server.cluster?.keepLog();
  return { sessions, events, handlerId, ttlMs: handler.ttlMs, hub: handler.hub, retryMs: handler.retryMs, onError: handler.onError };
}

/**
 * The part of a legacy session that only a shared one has: its connection
 * handle (to bring it up to date with the store), whether this node is its
 * home, and the connections here that follow its streams from the store.
 */
export class SharedPart implements FollowHost {
  readonly sessionId: string;
  readonly #ctx: SharedContext;
  client: ConnectedClient | undefined;
  /** Whether this node delivers the session's server-initiated notifications. */
  home: boolean;
  /** Whether the store holds the session (this node made it, or found it there). */
  #stored: boolean;
  #delivered: number;
  #takingOver = false;
  /** The session's last change on its way to the store and the other nodes (PROTOCOL.md §shared-sessions). */
  changing: Promise<void> | undefined;
  /** The connection here following the GET stream. */
  #get: FollowedStream | undefined;
  /** Connections here following POST streams other nodes write. */
  readonly #posts = new Set<FollowedStream>();

  constructor(sessionId: string, ctx: SharedContext, found: OpenedSession | undefined) {
    this.sessionId = sessionId;
    this.#ctx = ctx;
    this.home = found?.home ?? true;
    this.#stored = found !== undefined;
    this.#delivered = found?.delivered ?? -1;
  }

  get onError(): (error: TransportError) => void {
    return this.#ctx.onError;
  }

  get handlerId(): string {
    return this.#ctx.handlerId;
  }

  /** Whether a client connection here follows one of the session's streams (it is not idle). */
  get following(): boolean {
    return this.#get !== undefined || this.#posts.size > 0;
  }

  /** Keeps the session's new state in the store: made there by its first change (the initialize). */
  async changed(state: SharedSessionState): Promise<void> {
    const { sessions, handlerId, ttlMs } = this.#ctx;
    if (!this.#stored) {
      await sessions.create(this.sessionId, state, handlerId, ttlMs);
      this.#stored = true;
    } else if (!(await sessions.update(this.sessionId, state, ttlMs))) {
      throw new TransportError(`session ${this.sessionId} is gone from the session store`);
    }
  }

  /**
   * Takes what the store says of the session now. When this node just became
   * its home, its GET stream's seqs first go on after the stored ones
   * (`continueAfter`), and its connection then delivers what the cluster log
   * kept for the session after the last entry its events came from (or after
   * the session was made, when none did).
   */
  async synced(found: OpenedSession, continueAfter: (seq: number) => void): Promise<void> {
    this.#delivered = Math.max(this.#delivered, found.delivered);
    let after: string | undefined;
    if (found.home && !this.home) {
      // Another check or request got here first and is taking the session over.
      if (this.#takingOver) return;
      this.#takingOver = true;
      try {
        const tail = await this.#ctx.events.tail(this.sessionId, '0');
        continueAfter(tail.seq);
        after = tail.entry ?? `${found.created}-0`;
      } finally {
        this.#takingOver = false;
      }
    }
    this.home = found.home;
    this.client?.syncShared(after === undefined ? { state: found.state, home: found.home } : { state: found.state, home: true, after });
  }

  /** A GET without `Last-Event-ID`: follows the GET stream after what a client was last sent; undefined when one is open here (409). */
  openGet(): SseStream | undefined {
    if (this.#get) return undefined;
    const conn = new SseStream(this.#ctx.hub);
    const cursor = { streamId: '0', seq: this.#delivered };
    primeAt(conn, cursor, this.#ctx.retryMs);
    this.#get = new FollowedStream(this.#ctx.events, conn, cursor, this);
    return conn;
  }

  /**
   * A GET with `Last-Event-ID` for a stream this node does not write:
   * follows it from the store; undefined when it is a POST stream whose
   * writer stopped (its response will never come).
   */
  async resume(cursor: EventCursor): Promise<SseStream | undefined> {
    if (cursor.streamId !== '0' && !(await this.#ctx.sessions.alive(writerOf(cursor.streamId)))) return undefined;
    const conn = new SseStream(this.#ctx.hub);
    // The client's cursor first, as on one node (SessionEvents.writeResumed): a drop before a new event resumes from it.
    primeAt(conn, cursor, this.#ctx.retryMs);
    if (cursor.streamId === '0') this.#get?.end();
    const follower = new FollowedStream(this.#ctx.events, conn, cursor, this);
    if (cursor.streamId === '0') this.#get = follower;
    else this.#posts.add(follower);
    return conn;
  }

  /** Closes the connection following the GET stream here (the client resumes); false when there is none. */
  closeGet(): boolean {
    this.#get?.end();
    return this.#get !== undefined;
  }

  followEnded(follower: FollowedStream, seq: number): void {
    this.#posts.delete(follower);
    if (this.#get !== follower) return;
    this.#get = undefined;
    if (seq <= this.#delivered) return;
    this.#delivered = seq;
    this.#ctx.sessions.delivered(this.sessionId, seq).catch((cause: unknown) => this.#ctx.onError(new TransportError('session store: noting the GET stream failed', { cause })));
  }

  /** The client deleted the session: gone from the store, so every node finds it gone. */
  forget(): Promise<void> {
    return this.#ctx.sessions.delete(this.sessionId);
  }

  /** Ends the connections here that follow a POST stream whose writer stopped: the client's resume then learns it. */
  async dropOrphans(): Promise<void> {
    for (const follower of this.#posts) {
      if (!(await this.#ctx.sessions.alive(writerOf(follower.streamId)))) follower.end();
    }
  }

  /** Ends the connections here (the session closed on this node). */
  close(): void {
    this.#get?.end();
    for (const follower of this.#posts) follower.end();
  }
}
