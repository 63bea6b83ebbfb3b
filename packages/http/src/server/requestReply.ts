import type { RequestId } from '@tidings/protocol';
import type { Stream } from './sessionStream.js';
import { SSE_HEADERS, type SseStream } from './sseStream.js';
import type { HttpResponse } from './types.js';

/** A POSTed request of a legacy session waiting for its reply: JSON if its response comes first, else an SSE stream. */
export interface RequestReply {
  readonly requestId: RequestId;
  /** Answers the POST; undefined once answered or once the client left. */
  respond: ((response: HttpResponse) => void) | undefined;
  stream: Stream | undefined;
  /** This POST opened the session: its reply carries `Mcp-Session-Id`. */
  readonly opening: boolean;
}

/** Answers a POST once; false when it was answered already or the client left. */
export function answer(reply: RequestReply, response: HttpResponse): boolean {
  const respond = reply.respond;
  reply.respond = undefined;
  respond?.(response);
  return respond !== undefined;
}

/** An SSE reply on `conn`; with `openedSession`, the reply that tells the client its session id. */
export function sseResponse(conn: SseStream, openedSession?: string, ended = false): HttpResponse {
  if (ended) conn.end();
  return { status: 200, headers: openedSession === undefined ? SSE_HEADERS : { ...SSE_HEADERS, 'mcp-session-id': openedSession }, body: conn };
}
