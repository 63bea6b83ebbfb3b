import { createParser } from 'eventsource-parser';

/** What {@link readSseStream} reports while it reads. */
export interface SseHandlers {
  /** One event with an `id`: the new resume cursor (also for priming events with empty data). */
  onEventId(id: string): void;
  /** One non-empty `data` field. */
  onData(data: string): void;
  /** The server's `retry` value. */
  onRetry(ms: number): void;
  /** An event with a name other than `message` (HTTP+SSE's `endpoint`). */
  onNamedEvent?(name: string, data: string): void;
}

/** How a stream ended. */
export interface SseEnd {
  /** The read failed (connection cut, aborted) rather than ending cleanly. */
  readonly error?: unknown;
  /** The failure was an event over `maxBufferSize`. */
  readonly tooLarge?: boolean;
}

/**
 * The one SSE reader of both HTTP clients (HTML §9.2, with eventsource-parser).
 * Reads an SSE response body to its end, handing each event over as it is
 * parsed (no batching). Never rejects: a broken connection is reported in
 * the result, for the caller to resume or re-issue.
 */
export async function readSseStream(body: ReadableStream<Uint8Array>, handlers: SseHandlers, maxBufferSize: number): Promise<SseEnd> {
  let failure: unknown;
  const parser = createParser({
    maxBufferSize,
    onEvent(event) {
      if (event.id !== undefined && event.id !== '') handlers.onEventId(event.id);
      if (event.event !== undefined && event.event !== 'message') handlers.onNamedEvent?.(event.event, event.data);
      else if (event.data !== '') handlers.onData(event.data);
    },
    onRetry: (ms) => handlers.onRetry(ms),
    onError(error) {
      if (error.type === 'max-buffer-size-exceeded') failure = error;
    },
  });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  // A line may end in a lone CR (HTML §9.2.6). The parser holds such a line until a later chunk
  // brings a line break, and at the end of the body for ever, so every line ending reaches it as LF.
  let crPending = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      let text = decoder.decode(value, { stream: true });
      if (text === '') continue;
      if (crPending && text.startsWith('\n')) text = text.slice(1);
      crPending = text.endsWith('\r');
      parser.feed(text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text);
      if (failure !== undefined) {
        await reader.cancel().catch(() => {});
        return { error: failure, tooLarge: true };
      }
    }
    return {};
  } catch (error) {
    return { error };
  } finally {
    reader.releaseLock();
  }
}
