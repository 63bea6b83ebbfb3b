import type { RequestId } from '@tidings/protocol';
import { readSseStream } from '@tidings/http/client';

/** A response body parsed as JSON; undefined when empty or not JSON. */
export async function readJson(response: Response): Promise<unknown> {
  try {
    const text = await response.text();
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The response to request `id` in a JSON or SSE reply (the transport's own re-initialize reads it). */
export async function readAnswer(response: Response, id: RequestId, maxMessage: number): Promise<Record<string, unknown> | undefined> {
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('text/event-stream') || !response.body) {
    const body = (await readJson(response)) as Record<string, unknown> | undefined;
    return typeof body === 'object' && body !== null && body.id === id ? body : undefined;
  }
  let answer: Record<string, unknown> | undefined;
  await readSseStream(
    response.body,
    {
      onEventId: () => {},
      onData: (data) => {
        try {
          const message = JSON.parse(data) as Record<string, unknown>;
          if (message.id === id && message.method === undefined) answer = message;
        } catch {
          // Not ours to report: the session being replaced.
        }
      },
      onRetry: () => {},
    },
    maxMessage,
  );
  return answer;
}
