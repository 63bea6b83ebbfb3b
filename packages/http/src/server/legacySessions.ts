import { TransportError, type ConnectedClient, type ConnectOptions } from '@tidings/protocol';
import { checkLegacyVersionHeader, headerOf, MCP_HEADERS, rejectionOf, type HttpRejection } from '@tidings/protocol/http';
import { LegacySession, type SessionContext } from './legacySession.js';
import { refusal } from './refusals.js';
import { SharedPart, type SharedContext } from './sharedPart.js';
import type { OpenedSession } from './sessionStore.js';
import type { HttpRequest } from './types.js';

/** How often a node looks at the store for the shared sessions whose streams it holds (activity, a home to take over). */
const SHARED_CHECK_MS = 2_000;
/** Every how many of those checks it looks at the sessions it is home to without holding a stream of theirs. */
const HOME_CHECK_EVERY = 15;

/** The legacy sessions of one handler, and the one timer that expires idle ones. */
export class LegacySessions {
  readonly #sessions = new Map<string, LegacySession>();
  readonly #idleTimeoutMs: number;
  readonly #newSessionId: () => string;
  readonly #context: SessionContext;
  readonly #connect: (session: LegacySession, options?: ConnectOptions) => ConnectedClient;
  readonly #shared: SharedContext | undefined;
  /** Shared sessions being read from the store, so two requests at once make one session here. */
  readonly #opening = new Map<string, Promise<LegacySession | undefined>>();
  #sweeper: ReturnType<typeof setInterval> | undefined;
  #checks = 0;

  constructor(
    context: Omit<SessionContext, 'onClosed'>,
    idleTimeoutMs: number,
    newSessionId: () => string,
    connect: (session: LegacySession, options?: ConnectOptions) => ConnectedClient,
    shared: SharedContext | undefined,
  ) {
    this.#idleTimeoutMs = idleTimeoutMs;
    this.#newSessionId = newSessionId;
    this.#connect = connect;
    this.#shared = shared;
    this.#context = { ...context, onClosed: (session) => this.#forget(session) };
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** A new session, connected to the server, listed until it closes. */
  open(): LegacySession {
    const id = this.#newSessionId();
    const session = new LegacySession(id, this.#context, this.#shared && new SharedPart(id, this.#shared, undefined));
    this.#sessions.set(session.sessionId, session);
    this.#armSweeper();
    const client = this.#connect(session);
    if (session.sharedPart) session.sharedPart.client = client;
    return session;
  }

  get(sessionId: string): LegacySession | undefined {
    return this.#sessions.get(sessionId);
  }

  /**
   * The session a request names in `Mcp-Session-Id`, or why there is none
   * (400, 404, or a bad version header). A shared session is read from the
   * store on every request (activity on any node keeps it alive; a change
   * another node made holds here), and made here if another node opened it.
   */
  async of(request: HttpRequest): Promise<LegacySession | HttpRejection> {
    const id = headerOf(request.headers, MCP_HEADERS.sessionId);
    if (id === undefined) return refusal('sessionIdMissing');
    const versionError = checkLegacyVersionHeader(headerOf(request.headers, MCP_HEADERS.protocolVersion));
    let session: LegacySession | undefined;
    try {
      session = this.#shared ? await this.#openShared(id, this.#shared) : this.#sessions.get(id);
    } catch (cause) {
      // The store is unreachable: the session may well exist, so not a 404 (the client would start over).
      this.#context.onError(storeFailed(cause));
      return refusal('sessionStoreDown');
    }
    if (!session) return refusal('sessionNotFound');
    return versionError ? rejectionOf(versionError) : session;
  }

  /** Closes every session here (a shared session lives on in the store, its home moves at once) and disarms the timer. */
  async closeAll(reason: string): Promise<void> {
    this.#disarm();
    await Promise.allSettled([...this.#sessions.values()].map((s) => s.close(reason)));
    await this.#shared?.sessions.leave(this.#shared.handlerId).catch((cause: unknown) => this.#shared!.onError(storeFailed(cause)));
  }

  #openShared(id: string, shared: SharedContext): Promise<LegacySession | undefined> {
    const pending = this.#opening.get(id);
    if (pending) return pending;
    const opening = shared.sessions
      .open(id, shared.handlerId, shared.ttlMs)
      .then((found) => this.#take(id, found, shared))
      .finally(() => this.#opening.delete(id));
    this.#opening.set(id, opening);
    return opening;
  }

  /** Brings the session here up to date with what the store holds, making it here when another node opened it. */
  async #take(id: string, found: OpenedSession | undefined, shared: SharedContext): Promise<LegacySession | undefined> {
    let session = this.#sessions.get(id);
    if (!found) {
      await session?.close('session gone from the session store');
      return undefined;
    }
    if (!session) {
      const part = new SharedPart(id, shared, { ...found, home: false });
      session = new LegacySession(id, this.#context, part);
      this.#sessions.set(id, session);
      this.#armSweeper();
      part.client = this.#connect(session, { shared: { state: found.state, home: false } });
    }
    await session.sharedPart!.synced(found, (seq) => session.continueAfter(seq));
    return session;
  }

  #forget(session: LegacySession): void {
    if (this.#sessions.get(session.sessionId) === session) this.#sessions.delete(session.sessionId);
    if (this.#sessions.size === 0) this.#disarm();
  }

  // One timer for all sessions, armed while any exists (no per-session timers).
  #armSweeper(): void {
    if (this.#sweeper !== undefined) return;
    const shared = this.#shared;
    if (!shared && !Number.isFinite(this.#idleTimeoutMs)) return;
    const every = shared ? SHARED_CHECK_MS : Math.max(5, Math.min(this.#idleTimeoutMs / 2, 60_000));
    this.#sweeper = setInterval(() => (shared ? this.#checkShared(shared) : this.#expireIdle()), every);
    (this.#sweeper as { unref?: () => void }).unref?.();
  }

  #expireIdle(): void {
    const now = this.#context.now();
    for (const session of this.#sessions.values()) {
      if (session.idle(now, this.#idleTimeoutMs)) void session.close('session expired');
    }
  }

  /**
   * Shared sessions: one held open here (a followed stream) is activity and
   * keeps the session alive; the store says whether each is still there and
   * whether this node is now its home (its home stopped). One idle here is
   * let go: the store keeps it for the other nodes.
   */
  #checkShared(shared: SharedContext): void {
    const now = this.#context.now();
    // A home with no stream here is looked at less often: it only learns late that the client deleted
    // the session elsewhere (or that another node took it over), and an idle node stays quiet.
    const homesToo = ++this.#checks % HOME_CHECK_EVERY === 0;
    for (const session of this.#sessions.values()) {
      const part = session.sharedPart!;
      if (!part.home && session.idle(now, Math.min(this.#idleTimeoutMs, 60_000))) {
        void session.close('idle here');
        continue;
      }
      if (!part.following && !(part.home && homesToo)) continue;
      shared.sessions
        .open(session.sessionId, shared.handlerId, part.following ? shared.ttlMs : undefined)
        .then((found) => this.#take(session.sessionId, found, shared))
        .then(() => part.dropOrphans())
        .catch((cause: unknown) => shared.onError(storeFailed(cause)));
    }
  }

  #disarm(): void {
    if (this.#sweeper !== undefined) clearInterval(this.#sweeper);
    this.#sweeper = undefined;
  }
}

const storeFailed = (cause: unknown): TransportError => new TransportError('session store: reading a shared session failed', { cause });
