import { readSseStream } from '@tidings/http/client';
import { discard, type HttpClientContext, type Timer } from './clientContext.js';
import { reconnectDelay } from './reconnectPolicy.js';

/** The legacy session as the GET stream sees it: its id, and the headers that name it. */
export interface SessionHeaders {
  /** The session the server assigned; the stream opens only inside one. */
  readonly sessionId: string | undefined;
  /** The caller's headers, `extra`, the session id and the negotiated revision. */
  headers(extra: Record<string, string>): Record<string, string>;
}

/** What the GET stream reports to its owner. */
export interface GetStreamEvents {
  /** One `data` field of the stream: a server message unrelated to any request. */
  data(data: string): void;
  /** The server answered 404: it forgot the session. */
  sessionExpired(): void;
}

type GetState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'open'; readonly controller: AbortController }
  | { readonly kind: 'waiting'; readonly timer: Timer }
  /** The server answered 405: it offers no GET stream (2025-11-25 transports §listening, item 3). */
  | { readonly kind: 'unsupported' };

/**
 * The legacy session's GET stream, for server messages unrelated to a request
 * (2025-11-25 transports §listening): reopened with backoff and
 * `Last-Event-ID` when it breaks, given up after too many attempts without an
 * event.
 */
export class GetStream {
  readonly #ctx: HttpClientContext;
  readonly #session: SessionHeaders;
  readonly #events: GetStreamEvents;
  #state: GetState = { kind: 'idle' };
  #cursor: string | undefined;
  #attempts = 0;

  constructor(ctx: HttpClientContext, session: SessionHeaders, events: GetStreamEvents) {
    this.#ctx = ctx;
    this.#session = session;
    this.#events = events;
  }

  /** Opens the stream now (a pending reconnect is brought forward); no-op when open, unsupported or outside a session. */
  async open(): Promise<void> {
    const ctx = this.#ctx;
    const state = this.#state;
    if (ctx.lifetime.aborted || this.#session.sessionId === undefined || state.kind === 'open' || state.kind === 'unsupported') return;
    if (state.kind === 'waiting') ctx.timers.clear(state.timer);
    const controller = new AbortController();
    this.#state = { kind: 'open', controller };
    const extra: Record<string, string> = { accept: 'text/event-stream' };
    if (this.#cursor !== undefined) extra['last-event-id'] = this.#cursor;
    let progressed = false;
    try {
      const response = await ctx.fetch(ctx.url, { method: 'GET', headers: this.#session.headers(extra), signal: controller.signal });
      if (response.status === 405) {
        this.#state = { kind: 'unsupported' };
        return discard(response);
      }
      if (response.status === 404) {
        await discard(response);
        this.#state = { kind: 'idle' };
        return this.#events.sessionExpired();
      }
      if (!response.ok || !response.body) {
        await discard(response);
      } else {
        await readSseStream(
          response.body,
          {
            onEventId: (id) => {
              this.#cursor = id;
              progressed = true;
            },
            onData: (data) => {
              progressed = true;
              this.#events.data(data);
            },
            onRetry: (ms) => (ctx.serverRetry.ms = ms),
          },
          ctx.maxMessage,
        );
      }
    } catch {
      // Unreachable or cut: reconnect below.
    }
    // Stopped, replaced or closed meanwhile: whoever did it decides what comes next.
    if (this.#state.kind !== 'open' || this.#state.controller !== controller || ctx.lifetime.aborted) return;
    this.#state = { kind: 'idle' };
    // A stream that delivered something starts the count again, and keeps its cursor (SDK #2499).
    this.#attempts = progressed ? 0 : this.#attempts + 1;
    if (this.#attempts > ctx.policy.maxRetries) {
      return ctx.report(`the GET stream failed ${this.#attempts} times in a row; giving up`);
    }
    const delay = reconnectDelay(ctx.policy, Math.max(0, this.#attempts - 1), ctx.serverRetry.ms);
    const timer = ctx.timers.after(delay, () => {
      if (this.#state.kind === 'waiting' && this.#state.timer === timer) {
        this.#state = { kind: 'idle' };
        void this.open();
      }
    });
    this.#state = { kind: 'waiting', timer };
  }

  /** Stops the stream or its pending reconnect; `forgetCursor` for a new session, whose events are not the old one's. */
  stop(forgetCursor = false): void {
    const state = this.#state;
    if (state.kind === 'open') state.controller.abort();
    if (state.kind === 'waiting') this.#ctx.timers.clear(state.timer);
    if (state.kind !== 'unsupported') this.#state = { kind: 'idle' };
    if (forgetCursor) {
      this.#cursor = undefined;
      this.#attempts = 0;
    }
  }
}
