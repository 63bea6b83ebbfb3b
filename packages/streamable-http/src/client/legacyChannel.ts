import { type OutboundMessage } from '@tidings/protocol';
import { negotiatedVersionOf } from '@tidings/protocol/http';
import type { HttpClientContext } from './clientContext.js';
import { GetStream } from './getStream.js';
import { Reinitializer, type SessionState } from './reinitializer.js';

/**
 * The legacy session of a client transport (2025-11-25 transports §session
 * management): the session id and negotiated revision sent on every request,
 * its GET stream, and the re-initialize that replaces it when the server
 * forgot it. The transport tells it what the engine sent; it reaches into
 * nothing.
 */
export class LegacyChannel implements SessionState {
  readonly #ctx: HttpClientContext;
  readonly #get: GetStream;
  readonly #reinit: Reinitializer;
  #sessionId: string | undefined;
  #protocolVersion: string | undefined;

  /** `onData` receives each `data` field of the GET stream. */
  constructor(ctx: HttpClientContext, onData: (data: string) => void) {
    this.#ctx = ctx;
    this.#get = new GetStream(ctx, this, {
      data: onData,
      sessionExpired: () => void this.reinitialize().catch((cause: unknown) => ctx.report('re-initialize failed', cause)),
    });
    this.#reinit = new Reinitializer(ctx, this, this.#get);
  }

  /** The session the server assigned; undefined before `initialize` is answered or when the server keeps none. */
  get sessionId(): string | undefined {
    return this.#sessionId;
  }

  /** The negotiated revision, sent as `MCP-Protocol-Version`. */
  get protocolVersion(): string | undefined {
    return this.#protocolVersion;
  }

  /** The engine sent `initialize`: a new session starts. */
  initializing(initialize: OutboundMessage): void {
    this.#reinit.noteInitialize(initialize);
    this.#sessionId = undefined;
    this.#protocolVersion = undefined;
  }

  /** The engine sent `notifications/initialized` (serialised as `data`); the GET stream may open once the server took it. */
  initialized(data: string): void {
    this.#reinit.noteInitialized(data);
  }

  /** The `initialize` response arrived: its revision goes in `MCP-Protocol-Version` from now on. */
  negotiated(answer: Readonly<Record<string, unknown>>): void {
    this.#protocolVersion = negotiatedVersionOf(answer) ?? this.#protocolVersion;
  }

  /** Takes the session id a response assigns. */
  capture(response: Response): void {
    const id = response.headers.get('mcp-session-id');
    if (id) this.#sessionId = id;
  }

  /** Forgets the session id (re-initialising). */
  forgetSession(): void {
    this.#sessionId = undefined;
  }

  /** Headers of a legacy request: the caller's, `extra`, the session id and revision once known. */
  headers(extra: Record<string, string>): Record<string, string> {
    const headers = { ...this.#ctx.baseHeaders(), ...extra };
    if (this.#sessionId !== undefined) headers['mcp-session-id'] = this.#sessionId;
    if (this.#protocolVersion !== undefined) headers['mcp-protocol-version'] = this.#protocolVersion;
    return headers;
  }

  /** Opens the GET stream (after `initialized` was accepted). */
  openGet(): void {
    void this.#get.open();
  }

  /** A re-initialize failed: the next request starts a new session first. */
  get lost(): boolean {
    return this.#reinit.lost;
  }

  /** Replaces a session the server forgot; see {@link Reinitializer}. */
  reinitialize(): Promise<void> {
    return this.#reinit.reinitialize();
  }

  /** Stops the GET stream (closing). */
  stop(): void {
    this.#get.stop();
  }
}
