import { TransportError, type OutboundMessage } from '@tidings/protocol';
import { withRequestId } from '@tidings/protocol/http';
import { discard, JSON_AND_SSE, type HttpClientContext } from './clientContext.js';
import type { GetStream } from './getStream.js';
import { readAnswer } from './readBodies.js';

/** The legacy session as re-initialising changes it. */
export interface SessionState {
  /** Forgets the expired session id, so the replayed `initialize` goes out without it. */
  forgetSession(): void;
  /** Takes the session id a response assigns. */
  capture(response: Response): void;
  /** Takes the revision an `initialize` answer negotiated. */
  negotiated(answer: Readonly<Record<string, unknown>>): void;
  /** Headers naming the session. */
  headers(extra: Record<string, string>): Record<string, string>;
}

/** The handshake as the engine sent it, kept to replay it. */
type Handshake =
  | { readonly kind: 'none' }
  | { readonly kind: 'initializing'; readonly initialize: OutboundMessage }
  | { readonly kind: 'initialized'; readonly initialize: OutboundMessage; readonly initialized: string };

type Run = { readonly kind: 'idle' } | { readonly kind: 'running'; readonly done: Promise<void> };

/**
 * Starts a new legacy session after the server answered 404 for ours (SDK
 * defect #1708): replays the engine's `initialize` and `initialized` under
 * its own id, so their answers stay inside the transport and the engine never
 * learns the session changed, then reopens the GET stream.
 */
export class Reinitializer {
  readonly #ctx: HttpClientContext;
  readonly #session: SessionState;
  readonly #get: GetStream;
  #handshake: Handshake = { kind: 'none' };
  #run: Run = { kind: 'idle' };
  #runs = 0;
  /** The old session is forgotten and no replay has made a new one yet. */
  #lost = false;

  constructor(ctx: HttpClientContext, session: SessionState, get: GetStream) {
    this.#ctx = ctx;
    this.#session = session;
    this.#get = get;
  }

  /** The engine sent `initialize`: a new handshake starts. */
  noteInitialize(initialize: OutboundMessage): void {
    this.#handshake = { kind: 'initializing', initialize };
    this.#lost = false;
  }

  /**
   * Whether a replay failed after the old session was forgotten: a request
   * sent now would carry no session id (a 400 from the server, not the 404
   * that starts a replay), so the next one replays first.
   */
  get lost(): boolean {
    return this.#lost;
  }

  /** The engine sent `notifications/initialized` (serialised as `data`). */
  noteInitialized(data: string): void {
    if (this.#handshake.kind !== 'none') this.#handshake = { kind: 'initialized', initialize: this.#handshake.initialize, initialized: data };
  }

  /** Runs the replay; concurrent callers share one run. Rejects with a TransportError when the server refused it. */
  reinitialize(): Promise<void> {
    if (this.#run.kind === 'running') return this.#run.done;
    const done = this.#replay().finally(() => {
      this.#run = { kind: 'idle' };
    });
    this.#run = { kind: 'running', done };
    return done;
  }

  async #replay(): Promise<void> {
    const ctx = this.#ctx;
    const handshake = this.#handshake;
    if (handshake.kind === 'none') throw new TransportError('no initialize to replay');
    this.#get.stop(true);
    this.#session.forgetSession();
    this.#lost = true;
    const wireId = `tidings-reinitialize-${++this.#runs}`;
    const response = await ctx.fetch(ctx.url, {
      method: 'POST',
      headers: { ...ctx.baseHeaders(), 'content-type': 'application/json', accept: JSON_AND_SSE },
      body: JSON.stringify(withRequestId(handshake.initialize, wireId)),
    });
    this.#session.capture(response);
    const answer = await readAnswer(response, wireId, ctx.maxMessage);
    if (!response.ok || answer === undefined || 'error' in answer) {
      throw new TransportError(`re-initialize was refused (HTTP ${response.status})`);
    }
    this.#session.negotiated(answer);
    if (handshake.kind !== 'initialized') return void (this.#lost = false);
    const ack = await ctx.fetch(ctx.url, {
      method: 'POST',
      headers: this.#session.headers({ 'content-type': 'application/json', accept: JSON_AND_SSE }),
      body: handshake.initialized,
    });
    await discard(ack);
    if (!ack.ok) throw new TransportError(`initialized was refused after re-initialize (HTTP ${ack.status})`);
    this.#lost = false;
    void this.#get.open();
  }
}
