import { negotiatedVersionOf, TransportError } from '@tidings/protocol';
import { readAnswer } from './readBodies.js';
import { readSseStream } from '@tidings/http';
import { reconnectDelay, type ReconnectPolicy } from './reconnectPolicy.js';

/** What the legacy channel needs from its transport. */
export interface ChannelContext {
  /** The MCP endpoint. */
  readonly url: URL;
  /** The transport's fetch. */
  readonly fetch: typeof globalThis.fetch;
  /** How the GET stream reconnects. */
  readonly policy: ReconnectPolicy;
  /** Largest SSE event accepted. */
  readonly maxMessage: number;
  /** The caller's extra headers. */
  baseHeaders(): Record<string, string>;
  /** One `data` field of the GET stream. */
  onData(data: string): void;
  /** A fault that did not close the transport. */
  report(message: string, cause: unknown): void;
  /** Arms a timer the transport clears on close. */
  after(ms: number, fn: () => void): void;
  /** Whether the transport closed. */
  readonly closed: boolean;
  /** The server's last `retry` value, shared by every stream. */
  serverRetryMs: number | undefined;
}

/** The `Accept` of every POST (both reply types, as the spec requires). */
export const JSON_AND_SSE = 'application/json, text/event-stream';

/**
 * The legacy session of a client transport (2025-11-25 transports §session
 * management): the session id and negotiated revision sent on every request,
 * the GET stream reopened with backoff and `Last-Event-ID`, and a
 * transparent re-initialize when the server answers 404 for the session.
 */
export class LegacyChannel {
  /** The session the server assigned; undefined before `initialize` is answered. */
  sessionId: string | undefined;
  /** The negotiated revision, sent as `MCP-Protocol-Version`. */
  protocolVersion: string | undefined;
  readonly #ctx: ChannelContext;
  #initialize: Record<string, unknown> | undefined;
  #initialized: Record<string, unknown> | undefined;
  #reinit: Promise<void> | undefined;
  #reinits = 0;
  #get: AbortController | undefined;
  #getCursor: string | undefined;
  #getAttempts = 0;
  #getUnsupported = false;

  constructor(ctx: ChannelContext) {
    this.#ctx = ctx;
  }

  /** The engine sent `initialize`: a new session starts; keep the request to replay it. */
  initializing(message: Record<string, unknown>): void {
    this.#initialize = message;
    this.#initialized = undefined;
    this.sessionId = undefined;
    this.protocolVersion = undefined;
  }

  /** The engine sent `notifications/initialized`: keep it to replay it. */
  initialized(message: Record<string, unknown>): void {
    this.#initialized = message;
  }

  /** The `initialize` response arrived: its revision goes in `MCP-Protocol-Version` from now on. */
  negotiated(response: Record<string, unknown>): void {
    this.protocolVersion = negotiatedVersionOf(response) ?? this.protocolVersion;
  }

  /** Takes the session id a response assigns. */
  capture(response: Response): void {
    const id = response.headers.get('mcp-session-id');
    if (id) this.sessionId = id;
  }

  /** Headers of a legacy request: the caller's, `extra`, the session id and revision once known. */
  headers(extra: Record<string, string>): Record<string, string> {
    const headers = { ...this.#ctx.baseHeaders(), ...extra };
    if (this.sessionId !== undefined) headers['mcp-session-id'] = this.sessionId;
    if (this.protocolVersion !== undefined) headers['mcp-protocol-version'] = this.protocolVersion;
    return headers;
  }

  /** Stops the GET stream (closing). */
  abort(): void {
    this.#get?.abort();
    this.#get = undefined;
  }

  /** Opens (or reopens) the GET stream for messages unrelated to a request (2025-11-25 transports §listening). */
  async openGet(): Promise<void> {
    const ctx = this.#ctx;
    if (ctx.closed || this.sessionId === undefined || this.#getUnsupported || this.#get) return;
    const controller = (this.#get = new AbortController());
    const extra: Record<string, string> = { accept: 'text/event-stream' };
    if (this.#getCursor !== undefined) extra['last-event-id'] = this.#getCursor;
    let progressed = false;
    try {
      const response = await ctx.fetch(ctx.url, { method: 'GET', headers: this.headers(extra), signal: controller.signal });
      if (response.status === 405) {
        // The server offers no GET stream (item 3 of §listening).
        this.#getUnsupported = true;
        await response.body?.cancel().catch(() => {});
        return;
      }
      if (response.status === 404) {
        await response.body?.cancel().catch(() => {});
        this.#get = undefined;
        return void this.reinitialize().catch((cause: unknown) => ctx.report('re-initialize failed', cause));
      }
      if (response.ok && response.body) {
        await readSseStream(
          response.body,
          {
            onEventId: (id) => {
              this.#getCursor = id;
              progressed = true;
            },
            onData: (data) => {
              progressed = true;
              ctx.onData(data);
            },
            onRetry: (ms) => (ctx.serverRetryMs = ms),
          },
          ctx.maxMessage,
        );
      } else {
        await response.body?.cancel().catch(() => {});
      }
    } catch {
      // Unreachable or cut: reconnect below.
    } finally {
      if (this.#get === controller) this.#get = undefined;
    }
    if (ctx.closed || controller.signal.aborted || this.#getUnsupported) return;
    // A stream that delivered something starts the count again (and keeps its cursor: SDK #2499).
    this.#getAttempts = progressed ? 0 : this.#getAttempts + 1;
    if (this.#getAttempts > ctx.policy.maxRetries) {
      return ctx.report(`the GET stream failed ${this.#getAttempts} times in a row; giving up`, undefined);
    }
    ctx.after(reconnectDelay(ctx.policy, Math.max(0, this.#getAttempts - 1), ctx.serverRetryMs), () => void this.openGet());
  }

  /**
   * Starts a new session after the server answered 404 for ours (SDK defect
   * #1708): replays the cached `initialize` and `initialized` (their answers
   * stay inside the transport), then reopens the GET stream. Concurrent
   * callers share one run.
   */
  reinitialize(): Promise<void> {
    return (this.#reinit ??= this.#replayHandshake().finally(() => {
      this.#reinit = undefined;
    }));
  }

  async #replayHandshake(): Promise<void> {
    const ctx = this.#ctx;
    const initialize = this.#initialize;
    if (!initialize) throw new TransportError('no initialize to replay');
    this.abort();
    this.#getCursor = undefined;
    this.#getAttempts = 0;
    this.sessionId = undefined;
    const wireId = `tidings-reinitialize-${++this.#reinits}`;
    const response = await ctx.fetch(ctx.url, {
      method: 'POST',
      headers: { ...ctx.baseHeaders(), 'content-type': 'application/json', accept: JSON_AND_SSE },
      body: JSON.stringify({ ...initialize, id: wireId }),
    });
    this.capture(response);
    const answer = await readAnswer(response, wireId, ctx.maxMessage);
    if (!response.ok || answer === undefined || 'error' in answer) {
      throw new TransportError(`re-initialize was refused (HTTP ${response.status})`);
    }
    this.negotiated(answer);
    if (!this.#initialized) return;
    const ack = await ctx.fetch(ctx.url, {
      method: 'POST',
      headers: this.headers({ 'content-type': 'application/json', accept: JSON_AND_SSE }),
      body: JSON.stringify(this.#initialized),
    });
    await ack.body?.cancel().catch(() => {});
    if (!ack.ok) throw new TransportError(`initialized was refused after re-initialize (HTTP ${ack.status})`);
    void this.openGet();
  }
}
