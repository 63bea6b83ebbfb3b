import { TransportError } from '@tidings/protocol';
import { encodeEventId, encodeSseEvent, type EventCursor } from '@tidings/protocol/http';
import type { SharedEventStore, StoredEvent } from './eventStore.js';
import { MAX_BACKLOG, writeReplay } from './sessionStream.js';
import type { SseCloseListener, SseStream } from './sseStream.js';

/** What a followed stream reports to its session. */
export interface FollowHost {
  readonly sessionId: string;
  readonly onError: (error: TransportError) => void;
  /** The connection closed after writing up to `seq` (the cursor's when it wrote nothing). */
  followEnded(follower: FollowedStream, seq: number): void;
}

/**
 * One SSE connection fed from the shared event store (PROTOCOL.md
 * §shared-sessions): a shared session's GET stream, which its home writes
 * wherever the client holds it, or a POST stream another node writes, which
 * the client resumed here. The kept events after the cursor come first
 * (a gap past the store's horizon announced as on any resume), then each
 * event as it is appended, until the connection closes; a POST stream's
 * connection ends after its response.
 */
export class FollowedStream implements SseCloseListener {
  readonly streamId: string;
  readonly #conn: SseStream;
  readonly #host: FollowHost;
  #last: EventCursor;
  #unfollow: (() => void) | undefined;
  /** Events waiting to be written, in order; the first batch is the replay. */
  readonly #queue: Array<readonly StoredEvent[]> = [];
  #queued = 0;
  #writing = false;
  #replayed = false;
  #done = false;

  constructor(store: SharedEventStore, conn: SseStream, cursor: EventCursor, host: FollowHost) {
    this.streamId = cursor.streamId;
    this.#conn = conn;
    this.#host = host;
    this.#last = cursor;
    conn.onClose(this);
    if (this.#done) return;
    this.#unfollow = store.follow(host.sessionId, cursor.streamId, cursor.seq, (events) => this.#take(events), (cause) =>
      host.onError(new TransportError(`session ${host.sessionId}: following stream ${cursor.streamId} failed`, { cause })),
    );
  }

  /** Ends the connection (the session ended here). */
  end(): void {
    this.#conn.end();
  }

  sseClosed(): void {
    if (this.#done) return;
    this.#done = true;
    this.#unfollow?.();
    this.#queue.length = 0;
    this.#host.followEnded(this, this.#last.seq);
  }

  #take(events: readonly StoredEvent[]): void {
    if (this.#done) return;
    this.#queued += events.length;
    if (this.#queued > MAX_BACKLOG) {
      // The client reads slower than the stream grows: cut (not end), so it resumes from its cursor.
      const error = new TransportError(`session ${this.#host.sessionId}: stream ${this.streamId} cut off, ${MAX_BACKLOG} messages waited for a slow client`);
      this.#conn.cut(error);
      this.#host.onError(error);
      return;
    }
    this.#queue.push(events);
    if (!this.#writing) void this.#drain();
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    try {
      for (let batch = this.#queue.shift(); batch && !this.#done; batch = this.#queue.shift()) {
        this.#queued -= batch.length;
        if (!(await this.#write(batch))) return;
      }
    } finally {
      this.#writing = false;
    }
  }

  /** Writes one batch; false once the connection is over. */
  async #write(batch: readonly StoredEvent[]): Promise<boolean> {
    if (!this.#replayed) {
      this.#replayed = true;
      const gap = (missed: number): void =>
        this.#host.onError(new TransportError(`session ${this.#host.sessionId}: stream ${this.streamId} resumed past the event store's horizon, ${missed} messages missed`));
      const last = await writeReplay(this.#conn, this.#last, batch, undefined, gap);
      if (last === undefined) return false;
      this.#last = last;
      const final = batch.find((e) => e.final && e.seq <= last.seq);
      return final ? this.#finish() : true;
    }
    for (const event of batch) {
      if (event.seq <= this.#last.seq) continue;
      try {
        await this.#conn.write(encodeSseEvent(event.data, encodeEventId(event)));
      } catch {
        return false;
      }
      this.#last = event;
      if (event.final) return this.#finish();
    }
    return true;
  }

  #finish(): false {
    this.#conn.end();
    return false;
  }
}
