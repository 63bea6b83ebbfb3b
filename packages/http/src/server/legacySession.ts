import { TransportError, type RequestId, type SendOptions, type SharedSessionLink, type SharedSessionState, type Transport, type TransportSink } from '@tidings/protocol';
import { cancelledRequestId, type EventCursor } from '@tidings/protocol/http';
import { jsonResponse, NO_CONTENT, refuse } from './refusals.js';
import { gone, SessionEvents, type SessionEventsContext } from './sessionEvents.js';
import { answer, sseResponse, type RequestReply } from './requestReply.js';
import { Stream } from './sessionStream.js';
import type { SharedPart } from './sharedPart.js';
import type { KeepAliveHub } from './sseHub.js';
import { SseStream } from './sseStream.js';
import { onAbort, type HttpResponse } from './types.js';

/** What every session of one handler shares. */
export interface SessionContext extends SessionEventsContext {
  /** Keep-alives and slow-consumer bounds for every SSE stream of the handler. */
  readonly hub: KeepAliveHub;
  /** Wall clock for idle expiry. */
  readonly now: () => number;
  /** The session closed (expiry, DELETE, failed initialize, shutdown): forget it. */
  readonly onClosed: (session: LegacySession) => void;
}

/**
 * A legacy Streamable HTTP session (2025-11-25 transports §session
 * management): one Transport for the core, fed by every POST that carries
 * its `Mcp-Session-Id`. Messages for a request go on that POST's reply (JSON
 * when the response is the first message, SSE otherwise), the rest on the
 * GET stream; every SSE event goes through {@link SessionEvents}, so a
 * client that reconnects with `Last-Event-ID` gets exactly what it missed.
 */
export class LegacySession implements Transport, SharedSessionLink {
  /** The wire, in `server.sessions()`; on the prototype, so an idle session does not carry it. */
  get kind(): string {
    return 'streamable-http';
  }
  /** The `Mcp-Session-Id`, also the session's id in `server.sessions()`. */
  readonly sessionId: string;
  /** When the client last did something (an HTTP request, a stream ending). */
  lastActivity: number;
  readonly #ctx: SessionContext;
  readonly #events: SessionEvents;
  #sink: TransportSink | undefined;
  #closed = false;
  #nextStream = 1;
  readonly #standalone: Stream = new Stream('0', this);
  /** POSTs waiting for their reply; made while any waits (a Map's table costs ~250 bytes per idle session). */
  #replies: Map<RequestId, RequestReply> | undefined;
  /** POST streams still expecting their response, by stream id (for `Last-Event-ID`). */
  #live: Map<string, Stream> | undefined; // created by the first request stream: idle sessions never need it
  /** Set when the session is shared by the nodes of a cluster (PROTOCOL.md §shared-sessions). */
  readonly sharedPart: SharedPart | undefined;

  constructor(sessionId: string, ctx: SessionContext, shared?: SharedPart) {
    this.sessionId = sessionId;
    this.#ctx = ctx;
    this.sharedPart = shared;
    this.#events = new SessionEvents(sessionId, ctx);
    this.lastActivity = ctx.now();
  }

  /** Whether nothing is open and nothing happened for `timeoutMs`. */
  idle(now: number, timeoutMs: number): boolean {
    return !this.#replies?.size && this.#standalone.conn === undefined && !this.sharedPart?.following && now - this.lastActivity >= timeoutMs;
  }

  // ── shared sessions ──────────────────────────────────────────────────────

  /** The core keeps a shared session's state through it; on the prototype, so a session of one process carries nothing. */
  get shared(): SharedSessionLink | undefined {
    return this.sharedPart ? this : undefined;
  }

  changed(state: SharedSessionState): Promise<void> {
    return this.sharedPart!.changed(state);
  }

  deliver(message: unknown): void {
    this.acceptMessage(message, cancelledRequestId(message as Record<string, unknown>));
  }

  propagating(change: Promise<void>): void {
    this.sharedPart!.changing = change.catch(() => {});
  }

  /** Continues the GET stream's seqs after another node's (this node became the session's home). */
  continueAfter(seq: number): void {
    this.#events.continueAfter(seq);
  }

  // ── Transport ────────────────────────────────────────────────────────────

  start(sink: TransportSink): void {
    this.#sink = sink;
  }

  send(data: string, options: SendOptions = {}): Promise<void> {
    if (this.#closed) return Promise.reject(new TransportError('the session is closed'));
    const id = options.relatedRequestId;
    const reply = id === undefined ? undefined : this.#replies?.get(id);
    const queued = options.queued === true;
    // Unrelated messages, and late ones for a request already answered, go on the GET stream:
    // for a shared session, only its home writes that stream (one writer keeps its seqs in order).
    if (!reply && this.sharedPart?.home === false) return Promise.reject(new TransportError(`session ${this.sessionId}: its GET stream is written by its home node, not this one`));
    if (!reply) return this.#events.emit(this.#standalone, data, queued, false, options.entry);
    const final = options.responseTo !== undefined && options.responseTo === id;
    if (final) this.#forgetReply(reply.requestId);
    if (!reply.stream) {
      if (final) return this.#replyJson(reply, data, options.error !== undefined);
      reply.stream = this.#startStream(reply);
      // Abandoned by its client before the reply started: its messages have nowhere to go, and the
      // entry stays until the response, so that does not land on the GET stream either.
      if (!reply.stream) return gone();
    }
    const stream = reply.stream;
    const written = this.#events.emit(stream, data, queued, final);
    if (final) this.#endStream(stream, written);
    return written;
  }

  /**
   * Ends the session: its replies, its streams, its kept events, and its
   * connection to the server. A shared session ends here only: the other
   * nodes and the store keep it (see {@link delete}).
   */
  close(reason?: string): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    for (const reply of this.#replies?.values() ?? []) {
      answer(reply, refuse('sessionClosed', { id: reply.requestId }));
      reply.stream?.conn?.end();
    }
    this.#replies = undefined;
    this.#live = undefined;
    this.#standalone.conn?.end();
    this.sharedPart?.close();
    if (!this.sharedPart) this.#events.forget();
    this.#ctx.onClosed(this);
    this.#sink?.closed(reason === undefined ? undefined : new TransportError(reason));
    return Promise.resolve();
  }

  // ── HTTP side (called by the handler) ────────────────────────────────────

  /** Marks client activity (every HTTP request of the session). */
  touch(): void {
    this.lastActivity = this.#ctx.now();
  }

  /** A POSTed request: the reply resolves with the first message the core sends for it. */
  acceptRequest(requestId: RequestId, message: unknown, opening: boolean, signal: AbortSignal | undefined): Promise<HttpResponse> {
    this.touch();
    const replies = (this.#replies ??= new Map());
    if (replies.has(requestId)) return Promise.resolve(refuse('requestIdInUse', { detail: JSON.stringify(requestId), id: requestId }));
    return new Promise((resolve) => {
      const reply: RequestReply = { requestId, respond: resolve, stream: undefined, opening };
      // The client left before the reply started: the request goes on, its messages are dropped.
      replies.set(requestId, reply);
      onAbort(signal, () => answer(reply, NO_CONTENT));
      this.#sink?.message(message);
    });
  }

  /** A POSTed notification or response (already answered 202 by the handler). */
  acceptMessage(message: unknown, cancelled: RequestId | undefined): void {
    this.touch();
    this.#sink?.message(message);
    // A cancelled request gets no response (cancellation §behavior): end its reply now.
    if (cancelled === undefined) return;
    const reply = this.#replies?.get(cancelled);
    if (!reply) return;
    this.#forgetReply(cancelled);
    if (reply.stream) this.#endStream(reply.stream);
    else answer(reply, sseResponse(new SseStream(this.#ctx.hub), reply.opening ? this.sessionId : undefined, true));
  }

  /** The client deleted the session: gone from every node and the store. */
  async delete(): Promise<void> {
    if (this.sharedPart) {
      this.#events.forget();
      await this.sharedPart.forget();
    }
    await this.close('session deleted by the client');
  }

  /** A GET without `Last-Event-ID`: the session's stream for unrelated messages; undefined on conflict (409). */
  openStandalone(): HttpResponse | undefined {
    this.touch();
    if (this.sharedPart) {
      const followed = this.sharedPart.openGet();
      return followed && sseResponse(followed);
    }
    const stream = this.#standalone;
    if (stream.conn) return undefined;
    const conn = this.#attach(stream);
    if (this.#events.resumable) {
      const undelivered = { streamId: stream.streamId, seq: stream.writtenSeq, position: stream.writtenPosition };
      // Messages sent while no GET stream was open were kept: deliver them now (never a silent loss, SDK #866).
      // Their own ids are the resume points then; a priming id past them would skip them on a resume.
      if (stream.messages > stream.writtenPosition) this.#events.writeRetry(conn);
      else this.#events.prime(stream, conn);
      void this.#events.replay(stream, conn, undelivered);
    }
    return sseResponse(conn);
  }

  /**
   * A GET with `Last-Event-ID`: resumes that event's stream (2025-11-25
   * transports §resumability). A live stream continues on the new
   * connection after the replay; an ended one replays and ends. Resolves
   * undefined when there is nothing to resume (the caller answers 400).
   */
  async resume(cursor: EventCursor): Promise<HttpResponse | undefined> {
    this.touch();
    const stream = cursor.streamId === this.#standalone.streamId ? this.#standalone : this.#live?.get(cursor.streamId);
    // A shared session's GET stream, or a POST stream another node writes: followed from the shared store.
    if (this.sharedPart && (stream === undefined || stream === this.#standalone)) {
      const followed = await this.sharedPart.resume(cursor);
      return followed ? sseResponse(followed) : refuse('streamWriterGone');
    }
    if (!this.#events.resumable) return stream === this.#standalone ? this.openStandalone() : undefined;
    if (!stream) {
      // An ended stream: what the store kept is all there is.
      const events = await this.#events.replayEnded(cursor.streamId, cursor);
      if (!events.some((e) => e.data !== '')) return undefined;
      const conn = new SseStream(this.#ctx.hub);
      void this.#events.writeEnded(conn, cursor, events);
      return sseResponse(conn);
    }
    stream.conn?.end();
    const conn = this.#attach(stream);
    this.#events.writeResumed(conn, cursor);
    void this.#events.replay(stream, conn, cursor);
    return sseResponse(conn);
  }

  /**
   * Closes the connection carrying a stream without ending the stream (the
   * request goes on; its events wait in the store), so the client resumes
   * with `Last-Event-ID`. Without `requestId`, the GET stream's connection.
   */
  closeStream(requestId?: RequestId): boolean {
    if (requestId === undefined) {
      if (this.sharedPart) return this.sharedPart.closeGet();
      const conn = this.#standalone.conn;
      conn?.end();
      return conn !== undefined;
    }
    const reply = this.#replies?.get(requestId);
    if (!reply) return false;
    // Not started yet: start it, so the client holds an event id to resume from.
    reply.stream ??= this.#startStream(reply);
    reply.stream?.conn?.end();
    return reply.stream !== undefined;
  }

  // ── internals ─────────────────────────────────────────────────────────────

  #forgetReply(requestId: RequestId): void {
    this.#replies?.delete(requestId);
    if (this.#replies?.size === 0) this.#replies = undefined;
  }

  #replyJson(reply: RequestReply, data: string, failed: boolean): Promise<void> {
    this.touch();
    const headers: Record<string, string> = reply.opening && !failed ? { 'mcp-session-id': this.sessionId } : {};
    const answered = answer(reply, jsonResponse(200, data, headers));
    // A failed initialize opens no session; nor does one whose client left before it learnt the id.
    if (reply.opening && (failed || !answered)) void this.close(failed ? 'initialize failed' : 'the client left before it got its session id');
    return answered ? Promise.resolve() : gone();
  }

  #startStream(reply: RequestReply): Stream | undefined {
    if (!reply.respond) return undefined;
    const stream = new Stream((this.sharedPart?.handlerId ?? '') + (this.#nextStream++).toString(36), this);
    const conn = this.#attach(stream);
    (this.#live ??= new Map()).set(stream.streamId, stream);
    if (this.#events.resumable) this.#events.prime(stream, conn);
    answer(reply, sseResponse(conn, reply.opening ? this.sessionId : undefined));
    return stream;
  }

  /** The final response was sent: the connection ends once it is written (an async store writes it later). */
  #endStream(stream: Stream, written: Promise<void> = Promise.resolve()): void {
    stream.ended = true;
    this.#live?.delete(stream.streamId);
    if (this.#live?.size === 0) this.#live = undefined;
    this.touch();
    const end = (): void => {
      if (stream.conn && !stream.backlog) stream.conn.end();
    };
    written.then(end, end);
  }

  /** A new connection for `stream`. */
  #attach(stream: Stream): SseStream {
    return stream.attach(new SseStream(this.#ctx.hub));
  }
}
