import type { HttpCore, HttpResponse } from '@tidings/http';

/** A response read to its end (or left open after its head). */
export interface CoreResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** The body parsed as JSON, or undefined. */
  readonly json: any;
  /** Drops a body left open with `keepOpen`. */
  readonly close: () => void;
  /** The next complete SSE event of a body left open with `keepOpen` (its text up to the blank line). */
  readonly nextEvent: () => Promise<string>;
}

/** Splits SSE text into complete events as chunks arrive. */
export function eventReader(nextChunk: () => Promise<string | undefined>): () => Promise<string> {
  let buffered = '';
  return async () => {
    for (;;) {
      const end = buffered.indexOf('\n\n');
      if (end !== -1) {
        const event = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        return event;
      }
      const chunk = await nextChunk();
      if (chunk === undefined) throw new Error(`the stream ended before a complete event: ${JSON.stringify(buffered)}`);
      buffered += chunk;
    }
  };
}

export const noEvent = (): Promise<string> => Promise.reject(new Error('the body was read to its end'));

/** One request as a test writes it. */
export interface CoreCall {
  readonly method?: string;
  readonly url?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Leave an SSE body open instead of reading it to its end. */
  readonly keepOpen?: boolean;
}

/** How a test reaches a handler: the pure function, or a binding over a socket. */
export type Wire = (call: CoreCall) => Promise<CoreResponse>;

const parse = (text: string): unknown => {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** Calls `core.handle` directly, no socket, as a binding on a loopback address would. */
export function pureWire(core: HttpCore): Wire {
  return async (call) => {
    const headers: Record<string, string> = { host: '127.0.0.1:3000' };
    for (const [name, value] of Object.entries(call.headers ?? {})) headers[name.toLowerCase()] = value;
    const response: HttpResponse = await core.handle({
      method: call.method ?? 'POST',
      url: call.url ?? '/mcp',
      headers,
      ...(call.body === undefined ? {} : { body: call.body }),
      loopback: true,
    });
    const { body } = response;
    if (typeof body === 'object' && call.keepOpen) {
      const nextEvent = eventReader(async () => {
        const chunk = await body.next();
        return chunk.done ? undefined : chunk.value;
      });
      return { status: response.status, headers: { ...response.headers }, text: '', json: undefined, close: () => void body.return(), nextEvent };
    }
    let text = typeof body === 'string' ? body : '';
    if (typeof body === 'object') for await (const chunk of body) text += chunk;
    return { status: response.status, headers: { ...response.headers }, text, json: parse(text), close: () => {}, nextEvent: noEvent };
  };
}
