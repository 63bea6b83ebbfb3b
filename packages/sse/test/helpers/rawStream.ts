import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { track, waitFor } from './harness.js';

/** A GET stream read by hand: every event and comment, in order. */
export interface RawStream {
  readonly response: Response;
  readonly events: EventSourceMessage[];
  readonly comments: string[];
  /** The POST URI of the `endpoint` event, resolved. */
  readonly endpoint: URL;
  /** Whether the server ended the stream. */
  readonly ended: boolean;
  /** POSTs `body` (an object is serialised) to the endpoint. */
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Waits for the `message` event answering `id`, parsed. */
  answer(id: number | string): Promise<Record<string, any>>;
  /** Sends initialize and initialized; resolves once the session is ready. */
  initialize(): Promise<void>;
  close(): void;
}

/** Opens a stream with `fetch`; resolves once the endpoint event arrived. */
export async function openRawStream(url: string, headers: Record<string, string> = {}): Promise<RawStream> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { Accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const events: EventSourceMessage[] = [];
  const comments: string[] = [];
  let ended = false;
  const parser = createParser({ onEvent: (e) => events.push(e), onComment: (c) => comments.push(c) });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch {
      // Aborted by close().
    }
    ended = true;
  })();
  track(async () => abort.abort());
  await waitFor(() => {
    if (!events.some((e) => e.event === 'endpoint')) throw new Error('no endpoint event yet');
  });
  const endpoint = new URL(events.find((e) => e.event === 'endpoint')!.data, url);
  const post = (body: unknown, extra: Record<string, string> = {}): Promise<Response> =>
    fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...extra },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const stream: RawStream = {
    response,
    events,
    comments,
    endpoint,
    get ended() {
      return ended;
    },
    post,
    async answer(id) {
      let found: Record<string, any> | undefined;
      await waitFor(() => {
        found = events
          .filter((e) => e.event === 'message')
          .map((e) => JSON.parse(e.data) as Record<string, any>)
          .find((m) => m.id === id && m.method === undefined);
        if (!found) throw new Error(`no response to ${id} yet`);
      });
      return found!;
    },
    async initialize() {
      const init = { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'raw', version: '1' } };
      expect202(await post({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: init }));
      await stream.answer('init');
      expect202(await post({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    },
    close: () => abort.abort(),
  };
  return stream;
}

function expect202(response: Response): void {
  if (response.status !== 202) throw new Error(`expected 202, got ${response.status}`);
}
