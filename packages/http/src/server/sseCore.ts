import { parseMessage, ProtocolError, TransportError, type InvalidMessageData, type Server } from '@tidings/protocol';
import { headerOf, isJsonContentType, type OriginPolicy } from '@tidings/protocol/http';
import { refuse, rejectionResponse } from './refusals.js';
import { readJsonBody } from './requestBody.js';
import { reportToConsole, serveHttp } from './serveHttp.js';
import { SseSession } from './sseSession.js';
import { DEFAULT_SSE_LIMITS, KeepAliveHub } from './sseHub.js';
import { SSE_HEADERS, SseStream } from './sseStream.js';
import { finiteOption } from './streamableHttpOptions.js';
import type { HttpCore, HttpRequest, HttpResponse } from './types.js';

/** Options of the legacy HTTP+SSE handler, the same on every runtime and binding. */
export interface SseHandlerOptions extends Omit<OriginPolicy, 'loopback'> {
  /** The Tidings server; the handler calls `server.connect` once per stream. */
  readonly server: Server;
  /** Path of the GET endpoint that opens a stream, as clients see it. @default '/sse' */
  readonly endpointPath?: string;
  /** Path clients POST messages to, announced in the `endpoint` event. @default '/messages' */
  readonly messagesPath?: string;
  /** Largest POST body accepted; a larger one gets 413. @default 4 MiB */
  readonly maxBodyBytes?: number;
  /** Interval of `: keep-alive` comments on idle streams; 0 disables them. @default 15000 */
  readonly keepAliveMs?: number;
  /** Bytes a stream may have waiting on a slow reader; past it the stream is cut off and its session ends. @default 8 MiB */
  readonly maxQueuedBytes?: number;
  /** Messages that may wait for a slow client, as `maxQueuedBytes`. @default 10_000 */
  readonly maxQueuedMessages?: number;
  /** Faults that did not stop the handler (a handler bug). @default console.error */
  readonly onError?: (error: TransportError) => void;
}

const MiB = 1024 * 1024;

/** Taken: the message went to its session. */
const ACCEPTED_TEXT: HttpResponse = Object.freeze({ status: 202, headers: Object.freeze({ 'content-type': 'text/plain' }), body: 'Accepted' });

/**
 * Serves the legacy HTTP+SSE transport of protocol revision 2024-11-05
 * (PROTOCOL.md §sse) as a pure function: GET `endpointPath` opens a stream
 * whose first event, `endpoint`, names the POST URI
 * `messagesPath?sessionId=<random id>`; each POST there delivers one message
 * to that stream's session and is answered 202. Refusals carry a JSON-RPC
 * error body: 400 (no session id, not JSON → −32700, not JSON-RPC → −32600),
 * 403 (Origin/Host), 404 (unknown session or path), 405, 413, 415.
 */
export function createSseCore(options: SseHandlerOptions): HttpCore {
  const { server } = options;
  const endpointPath = options.endpointPath ?? '/sse';
  const messagesPath = options.messagesPath ?? '/messages';
  const maxBodyBytes = finiteOption('maxBodyBytes', options.maxBodyBytes, 4 * MiB);
  const hub = new KeepAliveHub(
    options.keepAliveMs ?? 15_000,
    { maxQueuedBytes: options.maxQueuedBytes ?? DEFAULT_SSE_LIMITS.maxQueuedBytes, maxQueuedMessages: options.maxQueuedMessages ?? DEFAULT_SSE_LIMITS.maxQueuedMessages },
    ': keep-alive\n\n',
  );
  const sessions = new Map<string, SseSession>();

  const openStream = (): HttpResponse => {
    const sessionId = crypto.randomUUID();
    const stream = new SseStream(hub);
    const session = new SseSession(sessionId, stream, `${messagesPath}?sessionId=${encodeURIComponent(sessionId)}`, () => sessions.delete(sessionId));
    sessions.set(sessionId, session);
    server.connect(session);
    return { status: 200, headers: SSE_HEADERS, body: stream };
  };

  const postMessage = async (request: HttpRequest, url: URL): Promise<HttpResponse> => {
    const sessionId = url.searchParams.get('sessionId');
    if (!sessionId) return refuse('sseSessionIdMissing');
    const session = sessions.get(sessionId);
    if (!session) return refuse('sseSessionNotFound');
    const type = headerOf(request.headers, 'content-type');
    if (!isJsonContentType(type)) return refuse('notJson', { detail: `got ${type ?? 'none'}` });
    const body = await readJsonBody(request, maxBodyBytes);
    if (!body.ok) return rejectionResponse(body.rejection);
    try {
      session.receive(parseMessage(body.value));
    } catch (error) {
      const failure = error instanceof ProtocolError ? error : new ProtocolError('InvalidRequest', 'Invalid request');
      session.fault(new TransportError(`Refused a POST: ${failure.message}`, { cause: failure }));
      return rejectionResponse({ status: 400, error: failure }, (failure.data as InvalidMessageData | undefined)?.id ?? null);
    }
    return ACCEPTED_TEXT;
  };

  return serveHttp(
    {
      route: (request, url) => {
        if (url.pathname === endpointPath) return { methods: 'GET', handler: request.method === 'GET' ? openStream : undefined };
        if (url.pathname === messagesPath) return { methods: 'POST', handler: request.method === 'POST' ? postMessage : undefined };
        return undefined;
      },
      allowedOrigins: options.allowedOrigins,
      allowedHosts: options.allowedHosts,
      onError: options.onError ?? reportToConsole,
      name: 'HTTP+SSE',
    },
    async () => {
      await Promise.allSettled([...sessions.values()].map((s) => s.close()));
      hub.closeAll();
    },
  );
}
