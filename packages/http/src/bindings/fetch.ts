import type { HttpCore, RequestBody, SseBody, SseReader } from '../server/types.js';
import { readBoundedBody, type BodySource } from '../server/requestBody.js';

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

/** Reads a request body through the core's bounded reader. */
function readFetchBody(request: Request, limit: number): Promise<RequestBody> {
  const stream = request.body;
  if (!stream) return Promise.resolve({ kind: 'text', text: '' });
  const reader = stream.getReader();
  const source: BodySource = {
    read(on) {
      let stopped = false;
      void (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (stopped) return;
          if (done) return on.end();
          on.chunk(value);
        }
      })().catch(() => stopped || on.fail());
      return () => void (stopped = true);
    },
    cancel: () => void reader.cancel().catch(() => {}),
  };
  return readBoundedBody(source, Number(request.headers.get('content-length') ?? NaN), limit);
}
