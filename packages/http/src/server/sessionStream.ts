import { encodeEventId, encodeSseEvent, eventsMissedMessage, messagesMissed, type EventCursor } from '@tidings/protocol/http';
import type { StoredEvent } from './eventStore.js';
import type { SseCloseListener, SseStream } from './sseStream.js';

/**
 * One SSE stream of a legacy session: the GET stream (`0`) or a POST's. It
 * listens to the connection carrying it itself, so an idle stream holds no
 * closure for that.
 */
export class Stream implements SseCloseListener {
  readonly streamId: string;
  /** The connection carrying it now; undefined while the client is away. */
  conn: SseStream | undefined = undefined;
  /** Events that arrived while a resumed connection replays, written after the replay. */
  backlog: Array<{ readonly seq: number; readonly position: number; readonly chunk: string }> | undefined = undefined;
  /** Messages sent on the stream so far: the position of the latest (PROTOCOL.md §resume-horizon). */
  messages = 0;
  /** Highest event seq written to a connection. */
  writtenSeq = -1;
  /** Position of the latest message written to a connection. */
  writtenPosition = 0;
  /** The final response was sent: the connection ends once it is written. */
  ended = false;
  /** Its session, told of client activity: a connection of the stream closing is some. */
  readonly #session: { touch(): void };

  constructor(streamId: string, session: { touch(): void }) {
    this.streamId = streamId;
    this.#session = session;
  }

  /** Carries the stream on `conn` from now on; the stream lets go of it when it closes. */
  attach(conn: SseStream): SseStream {
    this.conn = conn;
    conn.onClose(this);
    return conn;
  }

  /** A connection of the stream closed: the client is away until it resumes, unless a newer one took over. */
  sseClosed(conn: SseStream): void {
    if (this.conn !== conn) return;
    this.conn = undefined;
    this.backlog = undefined;
    this.#session.touch();
  }
}

/** Backlog bound while a resumed connection replays; past it the connection is dropped and the client resumes again. */
export const MAX_BACKLOG = 10_000;

/**
 * Writes a replay on `conn`: the events kept after `cursor`, then (for a
 * live stream) what arrived meanwhile in its backlog. A gap between the
 * cursor and the first message the replay has is announced first with
 * EventsMissed (it carries no id, so the client's cursor stays) and reported
 * through `onGap`: never a silent jump (PROTOCOL.md §resume-horizon). Each
 * write waits for the client to drain, so a long replay is paced instead of
 * tripping the slow-consumer bound. Resolves the last event written (the
 * cursor itself when none), or undefined when the connection went away.
 */
export async function writeReplay(
  conn: SseStream,
  cursor: EventCursor,
  events: readonly StoredEvent[],
  live: { readonly stream: Stream; readonly sent: number } | undefined,
  onGap: (missed: number) => void,
): Promise<EventCursor | undefined> {
  const stream = live?.stream;
  const fresh = events.filter((e) => e.seq > cursor.seq && e.data !== '');
  const next = fresh[0]?.position ?? (live ? live.sent + 1 : undefined);
  const missed = next === undefined ? 0 : messagesMissed(cursor.position, next);
  let last: EventCursor = cursor;
  const put = async (chunk: string): Promise<boolean> => {
    try {
      await conn.write(chunk);
    } catch {
      return false;
    }
    return stream === undefined || stream.conn === conn;
  };
  try {
    if (missed > 0) {
      onGap(missed);
      if (!(await put(encodeSseEvent(eventsMissedMessage(cursor.streamId, encodeEventId(cursor), missed))))) return undefined;
    }
    for (const event of fresh) {
      if (event.seq <= last.seq) continue;
      if (!(await put(encodeSseEvent(event.data, encodeEventId(event))))) return undefined;
      last = event;
    }
    // Live events that arrived during the replay, in order, until none is left.
    while (stream?.backlog && stream.backlog.length > 0) {
      const item = stream.backlog.shift()!;
      if (item.seq <= last.seq) continue;
      if (!(await put(item.chunk))) return undefined;
      last = { streamId: cursor.streamId, seq: item.seq, position: item.position };
    }
    return last;
  } finally {
    if (stream?.conn === conn) stream.backlog = undefined;
  }
}
