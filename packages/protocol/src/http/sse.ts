/**
 * Server-Sent Events as MCP uses them (HTML §9.2 event stream format): one
 * JSON-RPC message per `data` field, optional `id` for resumability
 * (2025-11-25 transports §resumability), `:` comments as keep-alives.
 */

/** A comment line that keeps an idle stream open through proxies (2026-07-28 streamable-http §receiving). */
export const SSE_KEEPALIVE = ':\n\n';

/**
 * One event (named `event`, else the default `message`). Serialised JSON has
 * no raw line breaks, so the fast path writes one `data` line.
 */
export function encodeSseEvent(data: string, id?: string, event?: string): string {
  const head = `${event === undefined ? '' : `event: ${event}\n`}${id === undefined ? '' : `id: ${id}\n`}`;
  if (!data.includes('\n') && !data.includes('\r')) return `${head}data: ${data}\n\n`;
  return `${head}${data.split(/\r\n|\r|\n/).map((line) => `data: ${line}`).join('\n')}\n\n`;
}

/**
 * The priming event that opens a resumable stream: an id and empty data, so
 * the client can reconnect with `Last-Event-ID` before the first message, plus
 * the `retry` delay the client must wait before reconnecting (2025-11-25
 * transports §sending messages, item 6).
 */
export function encodeSsePriming(id: string, retryMs?: number): string {
  return retryMs === undefined ? `id: ${id}\ndata: \n\n` : `id: ${id}\nretry: ${Math.max(0, Math.floor(retryMs))}\ndata: \n\n`;
}

/** A standalone `retry` field (sent first on a resumed stream). */
export function encodeSseRetry(retryMs: number): string {
  return `retry: ${Math.max(0, Math.floor(retryMs))}\n\n`;
}

/** A stream within a session and the position of one event in it, as carried by an SSE event id. */
export interface EventCursor {
  /** The stream the event belongs to (`[0-9a-z]+`). */
  readonly streamId: string;
  /** Position of the event among all events of the session; increases by one per event. */
  readonly seq: number;
  /**
   * Messages sent on this stream up to and including this event, so a resume
   * can tell how many were lost past the store's horizon (PROTOCOL.md
   * §resume-horizon). Absent from ids minted before it existed.
   */
  readonly position?: number;
}

/**
 * An event id that names its stream, so `Last-Event-ID` resumes exactly that
 * stream (2025-11-25 transports §resumability: ids "SHOULD encode sufficient
 * information to identify the originating stream").
 */
export function encodeEventId(cursor: EventCursor): string {
  const id = `${cursor.streamId}_${cursor.seq.toString(36)}`;
  return cursor.position === undefined ? id : `${id}_${cursor.position.toString(36)}`;
}

/** Reads an id made by {@link encodeEventId}; undefined for anything else. */
export function decodeEventId(id: string): EventCursor | undefined {
  const match = /^([0-9a-z]{1,16})_([0-9a-z]{1,11})(?:_([0-9a-z]{1,11}))?$/.exec(id.trim());
  if (!match) return undefined;
  const seq = Number.parseInt(match[2]!, 36);
  if (!Number.isSafeInteger(seq)) return undefined;
  if (match[3] === undefined) return { streamId: match[1]!, seq };
  const position = Number.parseInt(match[3], 36);
  return Number.isSafeInteger(position) ? { streamId: match[1]!, seq, position } : undefined;
}
