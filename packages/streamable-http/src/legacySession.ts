import type { ServerResponse } from 'node:http';
import {
  encodeEventId,
  encodeSseEvent,
  encodeSsePriming,
  encodeSseRetry,
  httpRejection,
  isErrorResponse,
  TransportError,
  type ConnectedClient,
  type EventCursor,
  type RequestId,
  type SendOptions,
  type Transport,
  type TransportSink,
} from '@tidings/protocol';
import type { EventStore, StoredEvent } from './eventStore.js';
import { replyJson, replyRejection } from './httpReply.js';
import { SlowConsumerError, SseConnection, type KeepAliveHub } from './sseConnection.js';
import { MAX_BACKLOG, newStream, writeReplay, type Stream } from './sessionStream.js';

/** What every session of one handler shares. */
export interface SessionContext {
  /** Keep-alives for every SSE connection of the handler. */
  readonly hub: KeepAliveHub;
  /** Undefined when resumability is off. */
  readonly store: EventStore | undefined;
  /** `retry` sent with priming events; undefined sends none. */
  readonly retryMs: number | undefined;
  /** Wall clock for idle expiry. */
  readonly now: () => number;
  /** Faults that did not end the session (event store failures). */
  readonly onError: (error: TransportError) => void;
  /** The session closed (expiry, DELETE, server shutdown): forget it. */
  readonly onClosed: (session: LegacySession) => void;
}

/** A POSTed request waiting for its reply: JSON if its response comes first, else an SSE stream. */
interface RequestReply {
  readonly requestId: RequestId;
  /** The POST's response until the reply starts (undefined once started or if the client left). */
  res: ServerResponse | undefined;
  stream: Stream | undefined;
  /** This POST opened the session: its reply carries `Mcp-Session-Id`. */
  readonly opening: boolean;
}


const gone = (): Promise<never> => Promise.reject(new TransportError('the client closed this request\'s HTTP connection before its reply started'));

/**
 * A legacy Streamable HTTP session (2025-11-25 transports §session
 * management): one Transport for the core, fed by every POST that carries
 * its `Mcp-Session-Id`. Messages for a request go on that POST's reply (JSON
 * when the response is the first message, SSE otherwise), the rest on the
 * GET stream, and every SSE event is kept in the event store so a client
 * that reconnects with `Last-Event-ID` gets exactly the events it missed on
 * that stream.
 */
export class LegacySession implements Transport {
  readonly kind = 'streamable-http';
  /** The `Mcp-Session-Id`, also the session's id in `server.sessions()`. */
  readonly sessionId: string;
  /** Set by the handler right after `server.connect`. */
  connected: ConnectedClient | undefined;
  /** When the client last did something (an HTTP request, a stream ending). */
  lastActivity: number;
  readonly #ctx: SessionContext;
  #sink: TransportSink | undefined;
  #closed = false;
  #seq = 0;
  #nextStream = 1;
  readonly #standalone: Stream = newStream('0');
  readonly #replies = new Map<RequestId, RequestReply>();
  /** POST streams still expecting their response, by stream id (for `Last-Event-ID`). */
  #live: Map<string, Stream> | undefined; // created by the first request stream: idle sessions never need it
  #storeChain: Promise<void> | undefined;

  constructor(sessionId: string, ctx: SessionContext) {
    this.sessionId = sessionId;
    this.#ctx = ctx;
    this.lastActivity = ctx.now();
  }

  /** Whether nothing is open and nothing happened for `timeoutMs`. */
  idle(now: number, timeoutMs: number): boolean {
    return this.#replies.size === 0 && this.#standalone.conn === undefined && now - this.lastActivity >= timeoutMs;
  }

  /** Whether the session ended. */
  get closed(): boolean {
    return this.#closed;
  }

  // ── Transport ────────────────────────────────────────────────────────────

  start(sink: TransportSink): void {
    this.#sink = sink;
  }

  send(data: string, options: SendOptions = {}): Promise<void> {
    if (this.#closed) return Promise.reject(new TransportError('the session is closed'));
    const id = options.relatedRequestId;
    const reply = id === undefined ? undefined : this.#replies.get(id);
    const queued = options.queued === true;
    // Unrelated messages, and late ones for a request already answered, go on the GET stream.
    if (!reply) return this.#emit(this.#standalone, data, queued);
    const final = options.responseTo !== undefined && options.responseTo === id;
    if (final) this.#replies.delete(reply.requestId);
    if (!reply.stream) {
      if (final) return this.#replyJson(reply, data);
      reply.stream = this.#startStream(reply);
      if (!reply.stream) {
        this.#replies.delete(reply.requestId);
        return gone();
      }
    }
    const stream = reply.stream;
    const written = this.#emit(stream, data, queued);
    if (final) this.#endStream(stream);
    return written;
  }

  close(reason?: string): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    for (const reply of this.#replies.values()) {
      if (reply.res) replyRejection(reply.res, httpRejection(404, 'InvalidRequest', 'Session closed'), reply.requestId);
      reply.stream?.conn?.end();
    }
    this.#replies.clear();
    this.#live = undefined;
    this.#standalone.conn?.end();
    try {
      const deleted = this.#ctx.store?.deleteSession(this.sessionId);
      if (deleted instanceof Promise) deleted.catch((cause: unknown) => this.#report('event store deleteSession failed', cause));
    } catch (cause) {
      this.#report('event store deleteSession failed', cause);
    }
    this.#ctx.onClosed(this);
    this.#sink?.closed(reason === undefined ? undefined : new TransportError(reason));
    return Promise.resolve();
  }

  // ── HTTP side (called by the handler) ────────────────────────────────────

  /** Marks client activity (every HTTP request of the session). */
  touch(): void {
    this.lastActivity = this.#ctx.now();
  }

  /** A POSTed request: its reply waits for the first message the core sends for it. */
  acceptRequest(requestId: RequestId, message: unknown, res: ServerResponse, opening: boolean): void {
    this.touch();
    if (this.#replies.has(requestId)) {
      replyRejection(res, httpRejection(400, 'InvalidRequest', `Request id ${JSON.stringify(requestId)} is already in use`), requestId);
      return;
    }
    const reply: RequestReply = { requestId, res, stream: undefined, opening };
    res.once('close', () => {
      if (reply.res === res) reply.res = undefined;
    });
    this.#replies.set(requestId, reply);
    this.#sink?.message(message);
  }

  /** A POSTed notification or response (already answered 202 by the handler). */
  acceptMessage(message: unknown, cancelled: RequestId | undefined): void {
    this.touch();
    this.#sink?.message(message);
    // A cancelled request gets no response (cancellation §behavior): end its reply now.
    if (cancelled === undefined) return;
    const reply = this.#replies.get(cancelled);
    if (!reply) return;
    this.#replies.delete(cancelled);
    if (reply.stream) this.#endStream(reply.stream);
    else if (reply.res) new SseConnection(reply.res, this.#ctx.hub).end();
  }

  /** A GET without `Last-Event-ID`: the session's stream for unrelated messages. Returns false on conflict (409). */
  openStandalone(res: ServerResponse): boolean {
    this.touch();
    const stream = this.#standalone;
    if (stream.conn) return false;
    const conn = new SseConnection(res, this.#ctx.hub);
    this.#attach(stream, conn);
    if (this.#ctx.store) {
      const undelivered = { streamId: stream.streamId, seq: stream.writtenSeq, position: stream.writtenPosition };
      this.#prime(stream, conn);
      // Messages sent while no GET stream was open were kept: deliver them now (never a silent loss, SDK #866).
      void this.#replay(stream, conn, undelivered);
    }
    return true;
  }

  /**
   * A GET with `Last-Event-ID`: resumes that event's stream (2025-11-25
   * transports §resumability). A live stream continues on the new
   * connection after the replay; an ended one replays and ends. Resolves
   * false when there is nothing to resume (the caller answers 400).
   */
  async resume(res: ServerResponse, cursor: EventCursor): Promise<boolean> {
    this.touch();
    const store = this.#ctx.store;
    const stream = cursor.streamId === this.#standalone.streamId ? this.#standalone : this.#live?.get(cursor.streamId);
    if (!store) return stream === this.#standalone ? this.openStandalone(res) : false;
    if (!stream) {
      // An ended stream: what the store kept is all there is.
      const events = await store.replay(this.sessionId, cursor.streamId, cursor.seq);
      if (!events.some((e) => e.data !== '')) return false;
      const conn = new SseConnection(res, this.#ctx.hub);
      this.#writeRetry(conn);
      await writeReplay(conn, cursor, events, undefined, this.#gapReporter(cursor.streamId));
      conn.end();
      return true;
    }
    stream.conn?.end();
    const conn = new SseConnection(res, this.#ctx.hub);
    this.#attach(stream, conn);
    this.#writeRetry(conn);
    await this.#replay(stream, conn, cursor);
    return true;
  }

  /**
   * Closes the connection carrying a stream without ending the stream (the
   * request goes on; its events wait in the store), so the client resumes
   * with `Last-Event-ID`. Without `requestId`, the GET stream's connection.
   */
  closeStream(requestId?: RequestId): boolean {
    if (requestId === undefined) {
      const conn = this.#standalone.conn;
      conn?.end();
      return conn !== undefined;
    }
    const reply = this.#replies.get(requestId);
    if (!reply) return false;
    // Not started yet: start it, so the client holds an event id to resume from.
    reply.stream ??= this.#startStream(reply);
    reply.stream?.conn?.end();
    return reply.stream !== undefined;
  }

  // ── internals ─────────────────────────────────────────────────────────────

  #replyJson(reply: RequestReply, data: string): Promise<void> {
    const res = reply.res;
    reply.res = undefined;
    this.touch();
    if (!res || res.destroyed) return gone();
    // A failed initialize opens no session.
    const failedOpening = reply.opening && isErrorResponse(data);
    replyJson(res, 200, data, reply.opening && !failedOpening ? { 'mcp-session-id': this.sessionId } : {});
    if (failedOpening) void (this.connected ? this.connected.close('initialize failed') : this.close('initialize failed'));
    return Promise.resolve();
  }

  #startStream(reply: RequestReply): Stream | undefined {
    const res = reply.res;
    reply.res = undefined;
    if (!res || res.destroyed || res.writableEnded) return undefined;
    const stream = newStream((this.#nextStream++).toString(36));
    const conn = new SseConnection(res, this.#ctx.hub, reply.opening ? { 'mcp-session-id': this.sessionId } : {});
    this.#attach(stream, conn);
    (this.#live ??= new Map()).set(stream.streamId, stream);
    if (this.#ctx.store) this.#prime(stream, conn);
    return stream;
  }

  #endStream(stream: Stream): void {
    stream.ended = true;
    this.#live?.delete(stream.streamId);
    this.touch();
    if (stream.conn && !stream.backlog) stream.conn.end();
  }

  #attach(stream: Stream, conn: SseConnection): void {
    stream.conn = conn;
    conn.onClose(() => {
      if (stream.conn !== conn) return;
      stream.conn = undefined;
      stream.backlog = undefined;
      this.touch();
    });
  }

  /** Writes one message on a stream: stored first, then written if a connection carries the stream. */
  #emit(stream: Stream, data: string, queued: boolean): Promise<void> {
    const store = this.#ctx.store;
    const seq = this.#seq++;
    const position = ++stream.messages;
    if (!store) return this.#write(stream, seq, position, encodeSseEvent(data), queued);
    const chunk = encodeSseEvent(data, encodeEventId({ streamId: stream.streamId, seq, position }));
    let stored: void | Promise<void> = undefined;
    try {
      stored = store.append(this.sessionId, { streamId: stream.streamId, seq, data, position });
    } catch (cause) {
      this.#report('event store append failed', cause);
    }
    if (stored instanceof Promise || this.#storeChain) {
      // A store that answers asynchronously: keep wire order behind it.
      const chain = (this.#storeChain ?? Promise.resolve())
        .then(() => stored)
        .catch((cause: unknown) => this.#report('event store append failed', cause))
        .then(() => this.#write(stream, seq, position, chunk, queued));
      const tail = chain.catch(() => {});
      this.#storeChain = tail;
      void tail.then(() => {
        if (this.#storeChain === tail) this.#storeChain = undefined;
      });
      return chain;
    }
    return this.#write(stream, seq, position, chunk, queued);
  }

  #write(stream: Stream, seq: number, position: number, chunk: string, queued: boolean): Promise<void> {
    const conn = stream.conn;
    if (conn && !conn.closed) {
      if (stream.backlog) {
        if (stream.backlog.length >= MAX_BACKLOG) conn.end();
        else stream.backlog.push({ seq, position, chunk });
        return Promise.resolve();
      }
      stream.writtenSeq = seq;
      stream.writtenPosition = position;
      const written = conn.write(chunk, queued);
      // A connection that drops mid-write loses nothing: the event is in the store, and the
      // client resumes after it; a slow consumer cut off is reported (PROTOCOL.md §slow-consumers).
      if (this.#ctx.store) return written.catch((cause: unknown) => this.#reportCutOff(stream, cause));
      return written.catch((cause: unknown) => {
        this.#reportCutOff(stream, cause);
        return gone();
      });
    }
    if (this.#ctx.store) return Promise.resolve();
    return Promise.reject(new TransportError('no SSE stream is open for this message and resumability is off (no event store)'));
  }

  #prime(stream: Stream, conn: SseConnection): void {
    const seq = this.#seq++;
    const position = stream.messages;
    try {
      const stored = this.#ctx.store!.append(this.sessionId, { streamId: stream.streamId, seq, data: '', position });
      if (stored instanceof Promise) stored.catch((cause: unknown) => this.#report('event store append failed', cause));
    } catch (cause) {
      this.#report('event store append failed', cause);
    }
    stream.writtenSeq = Math.max(stream.writtenSeq, seq);
    void conn.write(encodeSsePriming(encodeEventId({ streamId: stream.streamId, seq, position }), this.#ctx.retryMs)).catch(() => {});
  }

  #writeRetry(conn: SseConnection): void {
    if (this.#ctx.retryMs !== undefined) void conn.write(encodeSseRetry(this.#ctx.retryMs)).catch(() => {});
  }

  /**
   * Replays the kept events after `cursor`, then what arrived meanwhile, then
   * ends the connection if the stream ended. Writes wait for the client to
   * drain, so a long replay is paced, not cut off as a slow consumer.
   */
  async #replay(stream: Stream, conn: SseConnection, cursor: EventCursor): Promise<void> {
    stream.backlog = [];
    // Every message up to here went through the store; later ones land in the backlog.
    const sent = stream.messages;
    let events: readonly StoredEvent[] = [];
    try {
      events = await this.#ctx.store!.replay(this.sessionId, stream.streamId, cursor.seq);
    } catch (cause) {
      this.#report('event store replay failed', cause);
    }
    if (stream.conn !== conn) return;
    const last = await writeReplay(conn, cursor, events, { stream, sent }, this.#gapReporter(stream.streamId));
    if (last === undefined || stream.conn !== conn) return;
    stream.writtenSeq = Math.max(stream.writtenSeq, last.seq);
    stream.writtenPosition = Math.max(stream.writtenPosition, last.position ?? 0);
    if (stream.ended) conn.end();
  }

  /** Reports a resume past the store's horizon to the server's `onError` (the client gets EventsMissed). */
  #gapReporter(streamId: string): (missed: number) => void {
    return (missed) => this.#report(`session ${this.sessionId}: stream ${streamId} resumed past the event store's horizon, ${missed} messages missed`, undefined);
  }

  #reportCutOff(stream: Stream, cause: unknown): void {
    if (!(cause instanceof SlowConsumerError)) return;
    const which = stream === this.#standalone ? 'GET stream' : `stream ${stream.streamId}`;
    this.#report(`session ${this.sessionId}: ${which} cut off, ${cause.message}`, cause);
  }

  #report(message: string, cause: unknown): void {
    this.#ctx.onError(new TransportError(message, { cause }));
  }
}
