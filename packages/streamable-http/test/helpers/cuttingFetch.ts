/** One HTTP request the client made, as the wrapper saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

/** A fetch that can cut SSE connections, for resumability tests. */
export interface CuttingFetch {
  readonly fetch: typeof globalThis.fetch;
  /** Every request made, in order. */
  readonly requests: SeenRequest[];
  /** SSE data events seen so far over every connection (priming events excluded). */
  readonly eventsSeen: number;
  /** Connections cut so far. */
  readonly cuts: number;
}

/** Options of {@link createCuttingFetch}. */
export interface CuttingFetchOptions {
  /** Cut the connection when the running count of data events reaches each of these (ascending). */
  readonly cutAtEvents?: readonly number[];
  /** Cut this many resumed (Last-Event-ID) streams right away, before their first byte reaches the client. */
  readonly cutResumedBeforeFirstEvent?: number;
  /** Answer GETs without Last-Event-ID with this status instead of forwarding them. */
  readonly refuseStandaloneGet?: number;
}

/**
 * Wraps fetch so the test can break the client's SSE connections. A cut
 * cancels the real body (the server sees the socket close) and errors the
 * stream the client reads, dropping the chunk that crossed the cut point, so
 * events in flight are lost from that connection and must come back by replay.
 */
export function createCuttingFetch(options: CuttingFetchOptions = {}): CuttingFetch {
  const cutPoints = [...(options.cutAtEvents ?? [])];
  let resumedToCut = options.cutResumedBeforeFirstEvent ?? 0;
  const requests: SeenRequest[] = [];
  let eventsSeen = 0;
  let cuts = 0;

  const wrapped: typeof globalThis.fetch = async (input, init) => {
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const method = init?.method ?? 'GET';
    requests.push({ method, headers, body: typeof init?.body === 'string' ? init.body : undefined });
    if (method === 'GET' && headers['last-event-id'] === undefined && options.refuseStandaloneGet !== undefined) {
      return new Response(null, { status: options.refuseStandaloneGet });
    }
    const response = await globalThis.fetch(input, init);
    if (!response.body || !(response.headers.get('content-type') ?? '').includes('text/event-stream')) return response;
    const source = response.body.getReader();
    const cutNow = method === 'GET' && headers['last-event-id'] !== undefined && resumedToCut > 0;
    if (cutNow) resumedToCut--;
    const decoder = new TextDecoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (cutNow) {
          cuts++;
          await source.cancel().catch(() => {});
          controller.error(new Error('connection cut by the test before the first event'));
          return;
        }
        let chunk;
        try {
          chunk = await source.read();
        } catch (error) {
          controller.error(error);
          return;
        }
        if (chunk.done) {
          controller.close();
          return;
        }
        const events = decoder.decode(chunk.value, { stream: true }).split('data: {').length - 1;
        eventsSeen += events;
        if (cutPoints.length > 0 && eventsSeen >= cutPoints[0]!) {
          cutPoints.shift();
          cuts++;
          eventsSeen -= events;
          await source.cancel().catch(() => {});
          controller.error(new Error('connection cut by the test'));
          return;
        }
        controller.enqueue(chunk.value);
      },
      cancel: (reason) => source.cancel(reason),
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };

  return {
    fetch: wrapped,
    requests,
    get eventsSeen() {
      return eventsSeen;
    },
    get cuts() {
      return cuts;
    },
  };
}
