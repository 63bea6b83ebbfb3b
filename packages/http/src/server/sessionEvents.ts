import { TransportError } from '@tidings/protocol';
import { encodeEventId, encodeSseEvent, encodeSsePriming, encodeSseRetry, type EventCursor } from '@tidings/protocol/http';
import { storedEvent, type EventStore, type StoredEvent } from './eventStore.js';
import { MAX_BACKLOG, writeReplay, type Stream } from './sessionStream.js';
import { SlowConsumerError } from './sseHub.js';
import type { SseStream } from './sseStream.js';

/** What the events of one legacy session need from its handler. */
export interface SessionEventsContext {
  /** Undefined when resumability is off. */
  readonly store: EventStore | undefined;
  /** `retry` sent with priming events; undefined sends none. */
  readonly retryMs: number | undefined;
  /** Faults that did not end the session (event store failures, a slow consumer cut off). */
  readonly onError: (error: TransportError) => void;
}

/**
 * Writes an event with only an id (and `retry`): where a client resumes if
 * the connection drops before its next message. A connection that is gone
 * already needs nothing written.
 */
export function primeAt(conn: SseStream, cursor: EventCursor, retryMs: number | undefined): void {
  void conn.write(encodeSsePriming(encodeEventId(cursor), retryMs)).catch(() => {});
}

/** The rejection of a message for a request whose client left. */
export const gone = (): Promise<never> => Promise.reject(new TransportError('the client closed this request\'s HTTP connection before its reply started'));

/**
 * The SSE events of one legacy session (2025-11-25 transports
 * §resumability): every message gets a session-wide seq and a per-stream
 * position, goes to the event store first and then to the connection
 * carrying its stream, if any; a resumed connection gets a replay of what
 * it missed, paced by the client, then what arrived meanwhile.
 */
export class SessionEvents {
  readonly #sessionId: string;
  readonly #ctx: SessionEventsContext;
  #seq = 0;
  /** Appends to a store that answers asynchronously, so the wire keeps the store's order. */
  #storeChain: Promise<void> | undefined;

  constructor(sessionId: string, ctx: SessionEventsContext) {
    this.#sessionId = sessionId;
    this.#ctx = ctx;
  }

  /** The next event's seq follows `seq` (this node took over a shared session's GET stream from another). */
  continueAfter(seq: number): void {
    this.#seq = Math.max(this.#seq, seq + 1);
  }

  /** Whether events are kept for resumption. */
  get resumable(): boolean {
    return this.#ctx.store !== undefined;
  }

  /** One message on `stream`: stored first, then written if a connection carries the stream. */
  emit(stream: Stream, data: string, queued: boolean, final = false, entry?: string): Promise<void> {
    const store = this.#ctx.store;
    const seq = this.#seq++;
    const position = ++stream.messages;
    if (!store) return this.#write(stream, seq, position, encodeSseEvent(data), queued);
    const chunk = encodeSseEvent(data, encodeEventId({ streamId: stream.streamId, seq, position }));
    let stored: void | Promise<void> = undefined;
    try {
      stored = store.append(this.#sessionId, storedEvent(stream.streamId, seq, data, position, final, entry));
    } catch (cause) {
      this.#report('event store append failed', cause);
    }
    if (!(stored instanceof Promise) && !this.#storeChain) return this.#write(stream, seq, position, chunk, queued);
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

  /**
   * The priming event that opens a resumable stream's connection: an id to
   * resume from before any message. Not stored: a replay skips it anyway, and
   * an idle session then keeps nothing in the store.
   */
  prime(stream: Stream, conn: SseStream): void {
    const seq = this.#seq++;
    stream.writtenSeq = Math.max(stream.writtenSeq, seq);
    primeAt(conn, { streamId: stream.streamId, seq, position: stream.messages }, this.#ctx.retryMs);
  }

  /**
   * What a resumed live stream's connection starts with: the client's own
   * cursor as an id (and `retry`), so a client that keeps the last id per
   * connection resumes from the same point if this one drops before a new
   * event, instead of opening a fresh stream that skips what it missed
   * (SDK v1 does; SDK #2499).
   */
  writeResumed(conn: SseStream, cursor: EventCursor): void {
    primeAt(conn, cursor, this.#ctx.retryMs);
  }

  /** The `retry` field a resumed connection starts with. */
  writeRetry(conn: SseStream): void {
    if (this.#ctx.retryMs !== undefined) void conn.write(encodeSseRetry(this.#ctx.retryMs)).catch(() => {});
  }

  /** What the store kept of an ended stream after `cursor`. */
  async replayEnded(streamId: string, cursor: EventCursor): Promise<readonly StoredEvent[]> {
    return this.#ctx.store!.replay(this.#sessionId, streamId, cursor.seq);
  }

  /** Writes the replay of an ended stream on `conn`, then ends it. */
  async writeEnded(conn: SseStream, cursor: EventCursor, events: readonly StoredEvent[]): Promise<void> {
    this.writeRetry(conn);
    await writeReplay(conn, cursor, events, undefined, this.#gapReporter(cursor.streamId));
    conn.end();
  }

  /**
   * Replays the kept events after `cursor` on a live stream's new
   * connection, then what arrived meanwhile, then ends the connection if the
   * stream ended.
   */
  async replay(stream: Stream, conn: SseStream, cursor: EventCursor): Promise<void> {
    stream.backlog = [];
    // Every message up to here went through the store; later ones land in the backlog.
    const sent = stream.messages;
    let events: readonly StoredEvent[] = [];
    try {
      events = await this.#ctx.store!.replay(this.#sessionId, stream.streamId, cursor.seq);
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

  /** Forgets the session's events (it ended). */
  forget(): void {
    try {
      const deleted = this.#ctx.store?.deleteSession(this.#sessionId);
      if (deleted instanceof Promise) deleted.catch((cause: unknown) => this.#report('event store deleteSession failed', cause));
    } catch (cause) {
      this.#report('event store deleteSession failed', cause);
    }
  }

  #write(stream: Stream, seq: number, position: number, chunk: string, queued: boolean): Promise<void> {
    const conn = stream.conn;
    const resumable = this.resumable;
    if (!conn || conn.closed) {
      // Kept in the store for the client's next connection; without a store it has nowhere to go.
      return resumable ? Promise.resolve() : Promise.reject(new TransportError('no SSE stream is open for this message and resumability is off (no event store)'));
    }
    if (stream.backlog) {
      if (stream.backlog.length < MAX_BACKLOG) stream.backlog.push({ seq, position, chunk });
      else {
        // Too much arrived during the replay: cut (not end) the connection, so the client resumes.
        const error = new TransportError(`session ${this.#sessionId}: stream ${stream.streamId} cut off, ${MAX_BACKLOG} messages arrived while it replayed`);
        conn.cut(error);
        this.#ctx.onError(error);
      }
      return Promise.resolve();
    }
    stream.writtenSeq = seq;
    stream.writtenPosition = position;
    // A connection that drops mid-write loses nothing when the event is stored: the client
    // resumes after it. A slow consumer cut off is reported (PROTOCOL.md §slow-consumers).
    return conn.write(chunk, queued).catch((cause: unknown) => {
      this.#reportCutOff(stream, cause);
      if (!resumable) return gone();
    });
  }

  /** Reports a resume past the store's horizon (the client gets EventsMissed). */
  #gapReporter(streamId: string): (missed: number) => void {
    return (missed) => this.#report(`session ${this.#sessionId}: stream ${streamId} resumed past the event store's horizon, ${missed} messages missed`, undefined);
  }

  #reportCutOff(stream: Stream, cause: unknown): void {
    if (!(cause instanceof SlowConsumerError)) return;
    const which = stream.streamId === '0' ? 'GET stream' : `stream ${stream.streamId}`;
    this.#report(`session ${this.#sessionId}: ${which} cut off, ${cause.message}`, cause);
  }

  #report(message: string, cause: unknown): void {
    this.#ctx.onError(new TransportError(message, { cause }));
  }
}
