import type { HttpCore, RequestBody, SseBody, SseReader } from '../server/types.js';
import { concatBytes, DISCARD_FACTOR } from './bodyBytes.js';

/** Options of {@link toFetchHandler}. */
export interface FetchHandlerOptions {
  /**
   * The server listens on a loopback address only, so the origin policy
   * defaults to loopback origins (fetch runtimes do not tell the handler
   * which address a request reached).
   * @default false
   */
  readonly loopback?: boolean;
}

/**
 * Serves a pure handler as a fetch handler, `(Request) → Promise<Response>`:
 * Bun, Deno, Cloudflare Workers, Next.js route handlers, Hono. An SSE body
 * becomes a ReadableStream pulled as the client reads, and ends when the
 * runtime cancels it (the client went away); `request.signal` aborting before
 * the response is ready cancels a waiting request.
 */
export function toFetchHandler(core: HttpCore, options: FetchHandlerOptions = {}): (request: Request) => Promise<Response> {
  return async (request) => {
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const response = await core.handle({
      method: request.method,
      url: request.url,
      headers,
      body: (limit) => readFetchBody(request, limit),
      signal: request.signal,
      loopback: options.loopback === true,
    });
    const { body } = response;
    const init = { status: response.status, headers: response.headers };
    if (body === undefined) return new Response(null, init);
    if (typeof body === 'string') return new Response(body, init);
    return new Response(streamOf(body), init);
  };
}

function streamOf(body: SseBody): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let reader: SseReader;
  let cancelled = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        // One reader for the stream's life: a client that stops reading still hears of a cut-off.
        reader = {
          chunk: (text) => controller.enqueue(encoder.encode(text)),
          done(error) {
            if (cancelled) return;
            // Cut off (a slow consumer): the client sees the connection fail, not a clean end, and resumes.
            if (error) controller.error(error);
            else controller.close();
          },
        };
      },
      pull() {
        body.read(reader);
      },
      cancel() {
        cancelled = true;
        void body.return();
      },
    },
    // Pull only when the client reads: the core's queue is the one buffer, and it is bounded.
    { highWaterMark: 0 },
  );
}

/** Reads a request body as UTF-8 text, at most `limit` bytes; past it the rest is drained in the background, bounded. */
async function readFetchBody(request: Request, limit: number): Promise<RequestBody> {
  const declared = Number(request.headers.get('content-length'));
  const stream = request.body;
  if (!stream) return { kind: 'text', text: '' };
  const reader = stream.getReader();
  if (Number.isFinite(declared) && declared > limit) return { kind: 'too-large', discarding: discard(reader, 0, limit, declared) };
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > limit) return { kind: 'too-large', discarding: discard(reader, size, limit, declared) };
      chunks.push(value);
    }
  } catch {
    return { kind: 'aborted' };
  }
  return { kind: 'text', text: new TextDecoder().decode(concatBytes(chunks, size)) };
}

/** Drops the rest of an oversized body in the background, up to `DISCARD_FACTOR` × `limit`; false when the declared length is past that. */
function discard(reader: ReadableStreamDefaultReader<Uint8Array>, alreadyRead: number, limit: number, declared: number): boolean {
  const bound = DISCARD_FACTOR * limit;
  if (Number.isFinite(declared) && declared > bound) {
    void reader.cancel().catch(() => {});
    return false;
  }
  void (async () => {
    let read = alreadyRead;
    while (read <= bound) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.length;
    }
    await reader.cancel();
  })().catch(() => {});
  return true;
}
