import {
  ERROR_CODES,
  failedPostResponse,
  legacyHandshakeStep,
  META,
  modernRequestHeaders,
  ToolParamBook,
  TransportError,
  type RequestId,
  type Transport,
  type TransportSink,
} from '@tidings/protocol';
import { JSON_AND_SSE, LegacyChannel } from './legacyChannel.js';
import { readAnswer, readJson } from './readBodies.js';
import { readSseStream } from '@tidings/http';
import { openSseFallback, pointsAtLegacySse } from './sseFallback.js';
import { reconnectDelay, reconnectPolicy, type ReconnectOptions, type ReconnectPolicy } from './reconnectPolicy.js';

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

type Message = Record<string, unknown>;

/** Pages of `tools/list` read at most when a refused `tools/call` sends the client back to it. */
const MAX_TOOL_LIST_PAGES = 100;

/** One request on the wire: its POST, and the stream that answers it. */
interface InFlight {
  /** The id the engine gave the request. */
  readonly engineId: RequestId;
  /** The id on the wire now (a re-issued request gets a new one). */
  wireId: RequestId;
  /** The request as the engine sent it. */
  readonly message: Message;
  /** Sent with the modern envelope (stateless POST). */
  readonly modern: boolean;
  /** The legacy `initialize`: its answer names the negotiated revision. */
  readonly handshake: boolean;
  /** Aborts the fetch carrying it now. */
  controller: AbortController;
  /** Resume cursor of its SSE stream (legacy). */
  lastEventId: string | undefined;
  /** Reconnects in a row without a new event (legacy) / re-issues so far (modern). */
  attempts: number;
  /** Answered, failed or cancelled: nothing more is done for it. */
  settled: boolean;
  /** Already sent again after a re-initialize (once only). */
  retriedAfterReinit: boolean;
  /** Already sent again after re-reading `tools/list` for its `Mcp-Param-*` headers (once only). */
  retriedAfterToolList: boolean;
  /** The pending reconnect or re-issue. */
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Creates the client transport for a Streamable HTTP endpoint (PROTOCOL.md
 * §streamable-http). The engine's messages decide the era: a modern-envelope
 * request is a stateless POST with `Mcp-Method`/`Mcp-Name` headers whose
 * broken stream is re-issued under a new wire id; a legacy one joins the
 * session minted by `initialize`, with a GET stream, `Last-Event-ID`
 * resumption and a transparent re-initialize when the server expired it.
 */
export function createStreamableHttpClientTransport(
  url: string | URL,
  options: StreamableHttpClientTransportOptions = {},
): StreamableHttpClientTransport {
  return new HttpClientTransport(new URL(url), options);
}

class HttpClientTransport implements StreamableHttpClientTransport {
  readonly kind = 'streamable-http';
  readonly #url: URL;
  readonly #fetch: typeof globalThis.fetch;
  readonly #legacy: LegacyChannel;
  readonly #options: StreamableHttpClientTransportOptions;
  readonly #policy: ReconnectPolicy;
  readonly #maxMessage: number;
  #sink: TransportSink | undefined;
  #closed = false;
  #serverRetryMs: number | undefined;
  #nextWireId = 0;
  readonly #inflight = new Map<RequestId, InFlight>();
  readonly #wireOf = new Map<RequestId, RequestId>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  /** The server's `x-mcp-header` parameters, mirrored into `Mcp-Param-*` headers of modern `tools/call`s. */
  readonly #tools = new ToolParamBook();
  /** The HTTP+SSE transport that took over after a legacy server refused Streamable HTTP. */
  #fallback: Transport | undefined;

  constructor(url: URL, options: StreamableHttpClientTransportOptions) {
    this.#url = url;
    this.#options = options;
    // Bound: a browser's fetch throws "Illegal invocation" when called without `globalThis` as its receiver.
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#policy = reconnectPolicy(options.reconnect);
    this.#maxMessage = options.maxMessageBytes ?? 4 * 1024 * 1024;
    const transport = this;
    this.#legacy = new LegacyChannel({
      url,
      fetch: this.#fetch,
      policy: this.#policy,
      maxMessage: this.#maxMessage,
      baseHeaders: () => this.#baseHeaders(),
      onData: (data) => this.#onData(data),
      report: (message, cause) => this.#report(message, cause),
      after: (ms, fn) => void this.#after(ms, fn),
      get closed() {
        return transport.#closed;
      },
      get serverRetryMs() {
        return transport.#serverRetryMs;
      },
      set serverRetryMs(ms) {
        transport.#serverRetryMs = ms;
      },
    });
  }

  get sessionId(): string | undefined {
    return this.#fallback ? this.#fallback.sessionId : this.#legacy.sessionId;
  }

  get protocolVersion(): string | undefined {
    return this.#legacy.protocolVersion;
  }

  start(sink: TransportSink): void {
    this.#sink = sink;
  }

  send(data: string): Promise<void> {
    if (this.#closed) return Promise.reject(new TransportError('the transport is closed'));
    if (this.#fallback) return this.#fallback.send(data);
    let message: Message;
    try {
      message = JSON.parse(data) as Message;
    } catch (cause) {
      return Promise.reject(new TransportError('cannot send a message that is not JSON', { cause }));
    }
    if (typeof message.method === 'string' && message.id !== undefined) {
      // A request's outcome, failures included, reaches the engine as its response.
      this.#startRequest(message, data);
      return Promise.resolve();
    }
    return this.#postMessage(message, data, false);
  }

  cancelRequest(id: RequestId): boolean {
    const wire = this.#wireOf.get(id);
    const f = wire === undefined ? undefined : this.#inflight.get(wire);
    if (!f) return false;
    this.#forget(f);
    f.controller.abort();
    // Modern: closing the request's stream is the cancellation. Legacy: the engine also sends notifications/cancelled.
    return f.modern;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#fallback) return this.#fallback.close();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#legacy.abort();
    for (const f of this.#inflight.values()) f.controller.abort();
    this.#inflight.clear();
    this.#wireOf.clear();
    if (this.#legacy.sessionId !== undefined) {
      // Ends the session on the server (2025-11-25 transports §session management, item 5).
      try {
        const response = await this.#fetch(this.#url, { method: 'DELETE', headers: this.#legacy.headers({}), signal: AbortSignal.timeout(2000) });
        await response.body?.cancel();
      } catch {
        // The server is gone or refused: nothing left to end.
      }
    }
    this.#sink?.closed();
  }

  // ── requests ─────────────────────────────────────────────────────────────

  #startRequest(message: Message, data: string): void {
    const modern = modernRequestHeaders(message) !== undefined;
    const handshake = legacyHandshakeStep(message) === 'initialize';
    if (handshake) this.#legacy.initializing(message);
    if (modern) this.#tools.noteRequest(message);
    const id = message.id as RequestId;
    const f: InFlight = {
      engineId: id,
      wireId: id,
      message,
      modern,
      handshake,
      controller: new AbortController(),
      lastEventId: undefined,
      attempts: 0,
      settled: false,
      retriedAfterReinit: false,
      retriedAfterToolList: false,
      timer: undefined,
    };
    this.#inflight.set(id, f);
    this.#wireOf.set(id, id);
    void this.#postRequest(f, data);
  }

  async #postRequest(f: InFlight, data: string): Promise<void> {
    const headers = f.modern ? this.#modernHeaders(f.message) : this.#legacy.headers({ 'content-type': 'application/json', accept: JSON_AND_SSE });
    const sentSession = f.modern ? undefined : this.#legacy.sessionId;
    let response: Response;
    try {
      response = await this.#fetch(this.#url, { method: 'POST', headers, body: data, signal: f.controller.signal });
    } catch (cause) {
      return this.#fail(f, `could not reach the server: ${(cause as Error)?.message ?? cause}`);
    }
    if (f.settled || this.#closed) return void response.body?.cancel().catch(() => {});
    if (!f.modern) this.#legacy.capture(response);
    if (response.status === 404 && sentSession !== undefined && !f.retriedAfterReinit) {
      // The session expired: start a new one and send this request again (SDK defect #1708).
      await response.body?.cancel().catch(() => {});
      f.retriedAfterReinit = true;
      try {
        await this.#legacy.reinitialize();
      } catch (cause) {
        return this.#fail(f, `the session expired and re-initializing failed: ${(cause as Error)?.message ?? cause}`);
      }
      if (f.settled || this.#closed) return;
      return this.#postRequest(f, data);
    }
    if (!response.ok) {
      const failure = failedPostResponse(response.status, await readJson(response), f.wireId);
      if (f.modern && !f.retriedAfterToolList && this.#tools.refreshesOn(f.message, failure.error.code)) {
        // The tool's inputSchema may have changed: re-read it and send the call again (2026-07-28 streamable-http §client behavior).
        f.retriedAfterToolList = true;
        await this.#refreshToolList(f);
        if (f.settled || this.#closed) return;
        return this.#postRequest(f, data);
      }
      if (f.handshake && this.#options.sseFallback !== false && this.#sink && pointsAtLegacySse(response.status, failure.error.code)) {
        this.#forget(f);
        const sse = await openSseFallback(this.#url, this.#options, JSON.stringify(f.message), this.#sink);
        if (sse && !this.#closed) {
          this.#fallback = sse;
          return;
        }
        await sse?.close();
      }
      return this.#receive(failure, f);
    }
    const type = response.headers.get('content-type') ?? '';
    if (type.includes('text/event-stream') && response.body) return this.#consume(f, response.body);
    if (type.includes('application/json')) {
      const body = await readJson(response);
      for (const message of Array.isArray(body) ? body : [body]) {
        if (typeof message === 'object' && message !== null) this.#receive(message as Message, f);
      }
      if (!f.settled) this.#fail(f, 'the JSON reply did not answer the request');
      return;
    }
    await response.body?.cancel().catch(() => {});
    this.#fail(f, `unexpected HTTP ${response.status} reply without a response`);
  }

  /** Reads a request's SSE stream; if it ends without the response, resumes (legacy) or re-issues (modern). */
  async #consume(f: InFlight, body: ReadableStream<Uint8Array>): Promise<void> {
    let progressed = false;
    await readSseStream(
      body,
      {
        onEventId: (id) => {
          f.lastEventId = id;
          progressed = true;
        },
        onData: (data) => {
          progressed = true;
          this.#onData(data, f);
        },
        onRetry: (ms) => (this.#serverRetryMs = ms),
      },
      this.#maxMessage,
    );
    if (f.settled || this.#closed) return;
    f.attempts = progressed ? 0 : f.attempts + 1;
    if (f.modern) return this.#schedule(f, () => this.#reissue(f));
    if (f.lastEventId === undefined || this.#legacy.sessionId === undefined) {
      return this.#fail(f, 'the request stream ended before its response and cannot be resumed');
    }
    this.#schedule(f, () => this.#resume(f));
  }

  #schedule(f: InFlight, attempt: () => Promise<void>): void {
    if (f.attempts > this.#policy.maxRetries) return this.#fail(f, `the request stream broke ${f.attempts} times in a row`);
    const delay = reconnectDelay(this.#policy, Math.max(0, f.attempts - 1), f.modern ? undefined : this.#serverRetryMs);
    f.timer = this.#after(delay, () => {
      f.timer = undefined;
      if (!f.settled && !this.#closed) void attempt();
    });
  }

  /** Modern: sends the request again under a new wire id, mapped back to the engine's id on arrival. */
  async #reissue(f: InFlight): Promise<void> {
    this.#inflight.delete(f.wireId);
    f.wireId = `tidings-reissue-${++this.#nextWireId}`;
    this.#inflight.set(f.wireId, f);
    this.#wireOf.set(f.engineId, f.wireId);
    f.controller = new AbortController();
    await this.#postRequest(f, JSON.stringify({ ...f.message, id: f.wireId }));
  }

  /** Legacy: resumes the request's stream with a GET carrying `Last-Event-ID` (2025-11-25 transports §resumability). */
  async #resume(f: InFlight): Promise<void> {
    f.controller = new AbortController();
    let response: Response;
    try {
      response = await this.#fetch(this.#url, {
        method: 'GET',
        headers: this.#legacy.headers({ accept: 'text/event-stream', 'last-event-id': f.lastEventId! }),
        signal: f.controller.signal,
      });
    } catch {
      if (f.settled || this.#closed) return;
      f.attempts++;
      return this.#schedule(f, () => this.#resume(f));
    }
    if (f.settled || this.#closed) return void response.body?.cancel().catch(() => {});
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => {});
      if (response.status === 404) void this.#legacy.reinitialize().catch((cause: unknown) => this.#report('re-initialize failed', cause));
      return this.#fail(f, `resuming the request stream was refused (HTTP ${response.status})`);
    }
    await this.#consume(f, response.body);
  }

  /** Reads every page of `tools/list` into the header book, on behalf of (and cancelled with) request `f`. */
  async #refreshToolList(f: InFlight): Promise<void> {
    const meta = ((f.message.params as Message | undefined)?._meta ?? {}) as Message;
    const envelope = {
      [META.protocolVersion]: meta[META.protocolVersion],
      [META.clientCapabilities]: meta[META.clientCapabilities],
      [META.clientInfo]: meta[META.clientInfo],
    };
    let cursor: unknown;
    for (let page = 0; page < MAX_TOOL_LIST_PAGES; page++) {
      const id = `tidings-tools-list-${++this.#nextWireId}`;
      const request = { jsonrpc: '2.0', id, method: 'tools/list', params: { ...(typeof cursor === 'string' ? { cursor } : {}), _meta: envelope } };
      this.#tools.noteRequest(request);
      let answer: Message | undefined;
      try {
        const response = await this.#fetch(this.#url, { method: 'POST', headers: this.#modernHeaders(request), body: JSON.stringify(request), signal: f.controller.signal });
        if (response.ok) answer = await readAnswer(response, id, this.#maxMessage);
        else await response.body?.cancel().catch(() => {});
      } catch {
        // Unreachable or cancelled: the call is sent again with what the book knows, and its own error speaks.
      }
      if (answer === undefined) return this.#tools.settled(id);
      const learned = this.#tools.incoming(answer, (tool) => this.#rejectedTool(tool.name, tool.reason));
      cursor = (learned.result as Message | undefined)?.nextCursor;
      if (typeof cursor !== 'string') return;
    }
  }

  #rejectedTool(name: string, reason: string): void {
    this.#report(`left out tool ${JSON.stringify(name)} from tools/list: ${reason}`, undefined);
  }

  /** Settles a request the wire cannot answer with a ConnectionClosed error, so it never hangs. */
  #fail(f: InFlight, reason: string): void {
    if (f.settled) return;
    this.#receive({ jsonrpc: '2.0', id: f.wireId, error: { code: ERROR_CODES.ConnectionClosed, message: reason } }, f);
  }

  #forget(f: InFlight): void {
    f.settled = true;
    this.#tools.settled(f.engineId);
    if (f.timer !== undefined) {
      clearTimeout(f.timer);
      this.#timers.delete(f.timer);
    }
    if (this.#inflight.get(f.wireId) === f) this.#inflight.delete(f.wireId);
    if (this.#wireOf.get(f.engineId) === f.wireId) this.#wireOf.delete(f.engineId);
  }

  // ── inbound ──────────────────────────────────────────────────────────────

  #onData(data: string, f?: InFlight): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch (cause) {
      return this.#report('an SSE event carried invalid JSON', cause);
    }
    for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
      if (typeof message === 'object' && message !== null) this.#receive(message as Message, f);
    }
  }

  /** Hands one message to the engine, with wire ids mapped back to the engine's. */
  #receive(message: Message, f?: InFlight): void {
    if (this.#closed) return;
    let out = message;
    if (message.method === undefined && message.id !== undefined && message.id !== null) {
      const entry = this.#inflight.get(message.id as RequestId);
      if (entry) {
        if (entry.handshake) this.#legacy.negotiated(message);
        if (entry.wireId !== entry.engineId) out = { ...message, id: entry.engineId };
        if (entry.modern) out = this.#tools.incoming(out, (tool) => this.#rejectedTool(tool.name, tool.reason));
        this.#forget(entry);
      }
    } else if (f && f.wireId !== f.engineId && typeof message.method === 'string') {
      // A re-issued listen names the wire id as its subscription: map it back to the one the engine knows.
      const params = message.params as Message | undefined;
      const meta = params?._meta as Message | undefined;
      if (meta?.[META.subscriptionId] === f.wireId) {
        out = { ...message, params: { ...params, _meta: { ...meta, [META.subscriptionId]: f.engineId } } };
      }
    }
    this.#sink?.message(out);
  }

  // ── notifications and responses ──────────────────────────────────────────

  async #postMessage(message: Message, data: string, retried: boolean): Promise<void> {
    const modern = modernRequestHeaders(message) !== undefined;
    const initialized = legacyHandshakeStep(message) === 'initialized';
    if (initialized) this.#legacy.initialized(message);
    const sentSession = modern ? undefined : this.#legacy.sessionId;
    const headers = modern ? this.#modernHeaders(message) : this.#legacy.headers({ 'content-type': 'application/json', accept: JSON_AND_SSE });
    let response: Response;
    try {
      response = await this.#fetch(this.#url, { method: 'POST', headers, body: data });
    } catch (cause) {
      throw new TransportError(`could not reach the server: ${(cause as Error)?.message ?? cause}`, { cause });
    }
    await response.body?.cancel().catch(() => {});
    if (response.status === 404 && sentSession !== undefined && !retried) {
      await this.#legacy.reinitialize();
      if (!initialized) await this.#postMessage(message, data, true);
      return;
    }
    if (!response.ok) throw new TransportError(`the server refused the message (HTTP ${response.status})`);
    if (initialized) void this.#legacy.openGet();
  }

  // ── helpers ──────────────────────────────────────────────────────────────

  #baseHeaders(): Record<string, string> {
    const extra = this.#options.headers;
    return { ...(typeof extra === 'function' ? extra() : extra) };
  }

  #modernHeaders(message: Message): Record<string, string> {
    return {
      ...this.#baseHeaders(),
      'content-type': 'application/json',
      accept: JSON_AND_SSE,
      ...modernRequestHeaders(message),
      ...this.#tools.headersFor(message),
    };
  }

  #after(ms: number, fn: () => void): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
    return timer;
  }

  #report(message: string, cause: unknown): void {
    this.#sink?.error(new TransportError(message, cause === undefined ? {} : { cause }));
  }
}
