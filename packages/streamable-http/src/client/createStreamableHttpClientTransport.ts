import { TransportError, type RequestId, type SendOptions, type Transport, type TransportSink } from '@tidings/protocol';
import { connectionClosedResponse, pointsAtLegacySse, responseIdOf } from '@tidings/protocol/http';
import { discard, ServerRetry, Timers, type HttpClientContext } from './clientContext.js';
import type { InFlight } from './inFlight.js';
import { LegacyChannel } from './legacyChannel.js';
import { MessagePoster } from './messagePoster.js';
import { reconnectPolicy, type ReconnectOptions } from './reconnectPolicy.js';
import { Reissuer } from './reissuer.js';
import { RequestExchange } from './requestExchange.js';
import { openSseFallback } from './sseFallback.js';
import { ToolListRefresh } from './toolListRefresh.js';

/** Options of {@link createStreamableHttpClientTransport}. */
export interface StreamableHttpClientTransportOptions {
  /** Extra headers on every request (authorization…); a function is called per request. */
  readonly headers?: Readonly<Record<string, string>> | (() => Readonly<Record<string, string>>);
  /** The fetch to use. @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
  /** How broken streams are resumed (legacy) or re-issued (modern). */
  readonly reconnect?: ReconnectOptions;
  /** Largest SSE event accepted; a larger one breaks the stream. @default 4 MiB */
  readonly maxMessageBytes?: number;
  /**
   * Fall back to the 2024-11-05 HTTP+SSE transport when the server refuses
   * `initialize` with 400/404/405 and no modern error (2025-11-25 transports
   * §backwards compatibility).
   * @default true
   */
  readonly sseFallback?: boolean;
}

/** The client side of Streamable HTTP, for `client.connect(transport)`. */
export interface StreamableHttpClientTransport extends Transport {
  /** The legacy session id the server issued, if any. */
  readonly sessionId: string | undefined;
  /** The legacy revision negotiated by `initialize`, sent as `MCP-Protocol-Version`. */
  readonly protocolVersion: string | undefined;
}

type Message = Readonly<Record<string, unknown>>;

/** Who carries the connection: this transport, or the HTTP+SSE transport it fell back to. */
type Carrier = { readonly kind: 'streamable-http' } | { readonly kind: 'sse-fallback'; readonly sse: Transport };

/**
 * Creates the client transport for a Streamable HTTP endpoint (PROTOCOL.md
 * §streamable-http). What the engine sends decides the era: a request with
 * the modern envelope is a stateless POST with `Mcp-Method`/`Mcp-Name`
 * headers whose broken stream is re-issued under a new wire id; a legacy one
 * joins the session minted by `initialize`, with a GET stream,
 * `Last-Event-ID` resumption and a transparent re-initialize when the server
 * expired it. Runs wherever `fetch` does: it imports no Node built-in.
 */
export function createStreamableHttpClientTransport(
  url: string | URL,
  options: StreamableHttpClientTransportOptions = {},
): StreamableHttpClientTransport {
  return new HttpClientTransport(new URL(url), options);
}

/** Wires the pieces together and routes what the engine sends and what the wire answers. */
class HttpClientTransport implements StreamableHttpClientTransport {
  readonly kind = 'streamable-http';
  readonly readsOutbound = true;
  readonly #options: StreamableHttpClientTransportOptions;
  readonly #ctx: HttpClientContext;
  readonly #lifetime = new AbortController();
  readonly #legacy: LegacyChannel;
  readonly #ids = new Reissuer();
  readonly #tools: ToolListRefresh;
  readonly #requests: RequestExchange;
  readonly #messages: MessagePoster;
  #carrier: Carrier = { kind: 'streamable-http' };
  #sink: TransportSink | undefined;

  constructor(url: URL, options: StreamableHttpClientTransportOptions) {
    this.#options = options;
    const extra = options.headers;
    this.#ctx = {
      url,
      // Bound: a browser's fetch throws "Illegal invocation" when called without `globalThis` as its receiver.
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
      policy: reconnectPolicy(options.reconnect),
      maxMessage: options.maxMessageBytes ?? 4 * 1024 * 1024,
      lifetime: this.#lifetime.signal,
      serverRetry: new ServerRetry(),
      timers: new Timers(),
      baseHeaders: () => ({ ...(typeof extra === 'function' ? extra() : extra) }),
      report: (message, cause) => this.#sink?.error(new TransportError(message, cause === undefined ? {} : { cause })),
    };
    this.#legacy = new LegacyChannel(this.#ctx, (data) => this.#onData(data));
    this.#tools = new ToolListRefresh(this.#ctx);
    this.#messages = new MessagePoster(this.#ctx, this.#legacy, this.#tools);
    this.#requests = new RequestExchange(this.#ctx, this.#legacy, this.#ids, this.#tools, {
      message: (message, f) => this.#deliver(message, f),
      data: (data, f) => this.#onData(data, f),
      fail: (f, reason) => this.#fail(f, reason),
      refusedHandshake: (f, data, status, code) => this.#fallBack(f, data, status, code),
    });
  }

  get sessionId(): string | undefined {
    return this.#carrier.kind === 'sse-fallback' ? this.#carrier.sse.sessionId : this.#legacy.sessionId;
  }

  get protocolVersion(): string | undefined {
    return this.#legacy.protocolVersion;
  }

  start(sink: TransportSink): void {
    this.#sink = sink;
  }

  send(data: string, options?: SendOptions): Promise<void> {
    if (this.#lifetime.signal.aborted) return Promise.reject(new TransportError('the transport is closed'));
    if (this.#carrier.kind === 'sse-fallback') return this.#carrier.sse.send(data, options);
    const outbound = options?.outbound;
    if (outbound?.id !== undefined) {
      this.#requests.start(outbound, data);
      return Promise.resolve();
    }
    return this.#messages.post(data, outbound);
  }

  cancelRequest(id: RequestId): boolean {
    const f = this.#ids.byEngine(id);
    if (!f) return false;
    this.#settle(f);
    // Modern: closing the request's stream is the cancellation. Legacy: the engine also sends notifications/cancelled.
    return f.modern;
  }

  async close(): Promise<void> {
    if (this.#lifetime.signal.aborted) return;
    this.#lifetime.abort();
    if (this.#carrier.kind === 'sse-fallback') return this.#carrier.sse.close();
    this.#ctx.timers.clearAll();
    this.#legacy.stop();
    for (const f of this.#ids.drain()) this.#settle(f);
    if (this.#legacy.sessionId !== undefined) {
      // Ends the session on the server (2025-11-25 transports §session management, item 5).
      try {
        const response = await this.#ctx.fetch(this.#ctx.url, { method: 'DELETE', headers: this.#legacy.headers({}), signal: AbortSignal.timeout(2000) });
        await discard(response);
      } catch {
        // The server is gone or refused: nothing left to end.
      }
    }
    this.#sink?.closed();
  }

  /** Parses one SSE `data` field (a message or a batch) from a request's stream or the GET stream. */
  #onData(data: string, f?: InFlight): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch (cause) {
      return this.#ctx.report('an SSE event carried invalid JSON', cause);
    }
    if (!Array.isArray(parsed)) {
      if (typeof parsed === 'object' && parsed !== null) this.#deliver(parsed as Message, f);
      return;
    }
    for (const message of parsed) if (typeof message === 'object' && message !== null) this.#deliver(message as Message, f);
  }

  /** Hands one message to the engine, with wire ids mapped back to the engine's; a response settles its request. */
  #deliver(message: Message, via?: InFlight): void {
    if (this.#lifetime.signal.aborted) return;
    let out = message;
    const id = responseIdOf(message);
    const answered = id === undefined ? undefined : this.#ids.byWire(id);
    if (answered) {
      if (answered.handshake) this.#legacy.negotiated(message);
      out = this.#ids.responseToEngine(message, answered);
      if (answered.modern) out = this.#tools.incoming(out);
      this.#settle(answered);
    } else if (id === undefined && via) {
      out = this.#ids.streamMessageToEngine(message, via);
    }
    this.#sink?.message(out);
  }

  /** Settles a request the wire cannot answer with a ConnectionClosed error, so it never hangs. */
  #fail(f: InFlight, reason: string): void {
    if (f.phase.kind !== 'settled') this.#deliver(connectionClosedResponse(f.wireId, reason), f);
  }

  #settle(f: InFlight): void {
    const phase = f.phase;
    if (phase.kind === 'active') phase.controller.abort();
    if (phase.kind === 'waiting') this.#ctx.timers.clear(phase.timer);
    f.phase = { kind: 'settled' };
    this.#tools.settled(f.engineId);
    this.#ids.forget(f);
  }

  /** The legacy `initialize` was refused: an HTTP+SSE server may serve this URL (2025-11-25 transports §backwards compatibility). */
  async #fallBack(f: InFlight, data: string, status: number, errorCode: number): Promise<boolean> {
    const sink = this.#sink;
    if (this.#options.sseFallback === false || !sink || !pointsAtLegacySse(status, errorCode)) return false;
    this.#settle(f);
    const sse = await openSseFallback(this.#ctx.url, this.#options, data, sink);
    if (sse && !this.#lifetime.signal.aborted) {
      this.#carrier = { kind: 'sse-fallback', sse };
      return true;
    }
    await sse?.close();
    return false;
  }
}
