import { checkLegacyVersionHeader, headerOf, MCP_HEADERS, rejectionOf, type HttpRejection } from '@tidings/protocol/http';
import { LegacySession, type SessionContext } from './legacySession.js';
import { refusal } from './refusals.js';
import type { HttpRequest } from './types.js';

/** The legacy sessions of one handler, and the one timer that expires idle ones. */
export class LegacySessions {
  readonly #sessions = new Map<string, LegacySession>();
  readonly #idleTimeoutMs: number;
  readonly #newSessionId: () => string;
  readonly #context: SessionContext;
  #sweeper: ReturnType<typeof setInterval> | undefined;

  constructor(context: Omit<SessionContext, 'onClosed'>, idleTimeoutMs: number, newSessionId: () => string) {
    this.#idleTimeoutMs = idleTimeoutMs;
    this.#newSessionId = newSessionId;
    this.#context = { ...context, onClosed: (session) => this.#forget(session) };
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** A new session, listed until it closes. */
  open(): LegacySession {
    const session = new LegacySession(this.#newSessionId(), this.#context);
    this.#sessions.set(session.sessionId, session);
    this.#armSweeper();
    return session;
  }

  get(sessionId: string): LegacySession | undefined {
    return this.#sessions.get(sessionId);
  }

  /** The session a request names in `Mcp-Session-Id`, or why there is none (400, 404, or a bad version header). */
  of(request: HttpRequest): LegacySession | HttpRejection {
    const id = headerOf(request.headers, MCP_HEADERS.sessionId);
    if (id === undefined) return refusal('sessionIdMissing');
    const session = this.#sessions.get(id);
    if (!session) return refusal('sessionNotFound');
    const versionError = checkLegacyVersionHeader(headerOf(request.headers, MCP_HEADERS.protocolVersion));
    return versionError ? rejectionOf(versionError) : session;
  }

  /** Closes every session and disarms the timer. */
  async closeAll(reason: string): Promise<void> {
    this.#disarm();
    await Promise.allSettled([...this.#sessions.values()].map((s) => s.close(reason)));
  }

  #forget(session: LegacySession): void {
    this.#sessions.delete(session.sessionId);
    if (this.#sessions.size === 0) this.#disarm();
  }

  // One timer for all sessions, armed while any exists (no per-session timers).
  #armSweeper(): void {
    if (this.#sweeper !== undefined || !Number.isFinite(this.#idleTimeoutMs)) return;
    this.#sweeper = setInterval(() => {
      const now = this.#context.now();
      for (const session of this.#sessions.values()) {
        if (session.idle(now, this.#idleTimeoutMs)) void session.close('session expired');
      }
    }, Math.max(5, Math.min(this.#idleTimeoutMs / 2, 60_000)));
    (this.#sweeper as { unref?: () => void }).unref?.();
  }

  #disarm(): void {
    if (this.#sweeper !== undefined) clearInterval(this.#sweeper);
    this.#sweeper = undefined;
  }
}
