import type { Transport, TransportSink } from '@tidings/protocol';
import { createSseClientTransport } from '@tidings/http/client';

/** What the fallback needs from the Streamable HTTP transport's options. */
export interface SseFallbackOptions {
  /** The caller's extra headers, sent with the GET and every POST. */
  readonly headers?: Readonly<Record<string, string>> | (() => Readonly<Record<string, string>>);
  /** The caller's fetch. @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
  /** Largest SSE event accepted. @default 4 MiB */
  readonly maxMessageBytes?: number;
}

/**
 * Opens the old transport at the same URL (GET → `endpoint` event) and sends
 * the refused `initialize` through it. Resolves with the SSE transport once it
 * took the message, or undefined when the URL serves no SSE stream either —
 * then the original refusal stands. Until it resolves, the SSE side's close
 * and errors stay private: a failed attempt must not close the caller's sink.
 */
export async function openSseFallback(
  url: URL,
  options: SseFallbackOptions,
  initialize: string,
  sink: TransportSink,
): Promise<Transport | undefined> {
  const sse = createSseClientTransport(url, {
    headers: options.headers,
    fetch: options.fetch,
    maxMessageBytes: options.maxMessageBytes,
  });
  let adopted = false;
  await sse.start({
    message: (data) => sink.message(data),
    closed: (reason) => {
      if (adopted) sink.closed(reason);
    },
    error: (error) => {
      if (adopted) sink.error(error);
    },
  });
  try {
    await sse.send(initialize);
  } catch {
    await sse.close();
    return undefined;
  }
  adopted = true;
  return sse;
}
