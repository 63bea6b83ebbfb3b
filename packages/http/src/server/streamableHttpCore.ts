import { isModernVersion, parseMessage, toProtocolError, TransportError, type ConnectOptions, type RequestId } from '@tidings/protocol';
import {
  acceptsJsonAndSse,
  acceptsSse,
  cancelledRequestId,
  checkLegacyVersionHeader,
  checkModernRequest,
  decodeEventId,
  headerOf,
  isJsonContentType,
  MCP_HEADERS,
  rejectionOf,
  routeHttpMessage,
} from '@tidings/protocol/http';
import { createInMemoryEventStore } from './eventStore.js';
import { LegacySession } from './legacySession.js';
import { LegacySessions } from './legacySessions.js';
import { sharedContext } from './sharedPart.js';
import { ModernExchange, type ExchangeHost } from './modernExchange.js';
import { ACCEPTED, NO_CONTENT, refuse, rejectionResponse } from './refusals.js';
import { readJsonBody } from './requestBody.js';
import { reportToConsole, serveHttp } from './serveHttp.js';
import { DEFAULT_SSE_LIMITS, KeepAliveHub } from './sseHub.js';
import { finiteOption, type StreamableHttpControls, type StreamableHttpHandlerOptions } from './streamableHttpOptions.js';
import type { HttpCore, HttpRequest, HttpResponse } from './types.js';

const MiB = 1024 * 1024;

/** The pure Streamable HTTP handler: {@link HttpCore} plus its controls. */
export interface StreamableHttpCore extends HttpCore, StreamableHttpControls {}

/**
 * The Streamable HTTP handler of `options.server` as a pure function from
 * request to response, serving both eras on one endpoint (PROTOCOL.md
 * §streamable-http): modern requests each on their own POST, legacy clients
 * in sessions with a GET stream and `Last-Event-ID` resumability, or
 * stateless. Bindings (Node, fetch) only convert to and from it.
 */
export function createStreamableHttpCore(options: StreamableHttpHandlerOptions): StreamableHttpCore {
  const { server } = options;
  const toolInputSchema = options.toolInputSchema ?? ((name: string) => server.toolInputSchema(name));
  const maxBodyBytes = finiteOption('maxBodyBytes', options.maxBodyBytes, 4 * MiB);
  const stateless = options.legacy === 'stateless';
  const onError = options.onError ?? reportToConsole;
  const hub = new KeepAliveHub(options.keepAliveMs ?? 15_000, {
    maxQueuedBytes: options.maxQueuedBytes ?? DEFAULT_SSE_LIMITS.maxQueuedBytes,
    maxQueuedMessages: options.maxQueuedMessages ?? DEFAULT_SSE_LIMITS.maxQueuedMessages,
  });
  const store = options.eventStore === false ? undefined : options.eventStore ?? createInMemoryEventStore();
  const retryMs = finiteOption('retryMs', options.retryMs, 1000);
  const idleTimeoutMs = options.sessionIdleTimeoutMs ?? 30 * 60_000;
  const sessions = new LegacySessions(
    { hub, store, retryMs, now: Date.now, onError },
    idleTimeoutMs,
    options.generateSessionId ?? (() => crypto.randomUUID()),
    (session, connectOptions) => server.connect(session, connectOptions),
    options.sessionStore && sharedContext(options.sessionStore, store, { server, hub, retryMs, onError, ttlMs: idleTimeoutMs }),
  );
  const exchanges = new Set<ModernExchange>();
  let closing = false;
  const exchangeHost: ExchangeHost = { hub, onDone: (done) => exchanges.delete(done) };

  const exchange = (request: HttpRequest, message: unknown, requestId: RequestId, modern: boolean, connectOptions?: ConnectOptions): Promise<HttpResponse> =>
    new Promise((respond) => {
      const ex = new ModernExchange(exchangeHost, requestId, modern, message, respond, request.signal);
      exchanges.add(ex);
      server.connect(ex, connectOptions);
    });

  /** A notification or response with no session to go to: taken (202) and handed to a connection of its own. */
  const oneShot = (message: unknown): HttpResponse => {
    server.connect({
      kind: 'streamable-http',
      start(sink) {
        sink.message(message);
        sink.closed();
      },
      send: () => Promise.reject(new TransportError('no stream for a server message on a notification POST')),
      close: () => Promise.resolve(),
    });
    return ACCEPTED;
  };

  const post = async (request: HttpRequest): Promise<HttpResponse> => {
    const { headers } = request;
    if (!isJsonContentType(headerOf(headers, 'content-type'))) return refuse('notJson');
    if (!acceptsJsonAndSse(headerOf(headers, 'accept'))) return refuse('notAcceptingJsonAndSse');
    const body = await readJsonBody(request, maxBodyBytes);
    if (!body.ok) return rejectionResponse(body.rejection);
    // Closed while the body arrived: open nothing (no session, exchange or timer outlives close()).
    if (closing) return refuse('closed');
    let message: Record<string, unknown>;
    try {
      message = parseMessage(body.value) as unknown as Record<string, unknown>;
    } catch (error) {
      const failure = toProtocolError(error);
      return rejectionResponse({ status: 400, error: failure }, (failure.data as { id?: RequestId } | undefined)?.id ?? null);
    }
    const isRequest = message.method !== undefined && message.id !== undefined;
    const requestId = message.id as RequestId;
    const replyId = isRequest ? requestId : null;
    const versionHeader = headerOf(headers, MCP_HEADERS.protocolVersion);
    const route = routeHttpMessage(message, versionHeader);

    if (route === 'modern') {
      const error = checkModernRequest(headers, message, toolInputSchema);
      if (error) return rejectionResponse(rejectionOf(error), replyId);
      return isRequest ? exchange(request, message, requestId, true) : oneShot(message);
    }
    if (stateless) {
      const versionError = route === 'open-session' ? undefined : checkLegacyVersionHeader(versionHeader);
      if (versionError) return rejectionResponse(rejectionOf(versionError), replyId);
      if (!isRequest) return ACCEPTED;
      // Each stateless POST is a connection of its own that starts initialized (only initialize itself runs the handshake).
      return exchange(request, message, requestId, false, route === 'open-session' ? undefined : { statelessLegacy: { protocolVersion: versionHeader } });
    }
    if (route === 'open-session') return sessions.open().acceptRequest(requestId, message, true, request.signal);
    const session = await sessions.of(request);
    if (!(session instanceof LegacySession)) return rejectionResponse(session);
    if (isRequest) return session.acceptRequest(requestId, message, false, request.signal);
    session.acceptMessage(message, cancelledRequestId(message));
    // An `initialized` is answered once every node has it: the client's next request may land anywhere.
    await session.sharedPart?.changing;
    return ACCEPTED;
  };

  const get = async (request: HttpRequest): Promise<HttpResponse> => {
    // A modern client has no GET stream and no session to delete (2026-07-28 streamable-http).
    if (isModernVersion(headerOf(request.headers, MCP_HEADERS.protocolVersion))) return refuse('postOnly', { headers: { allow: 'POST' } });
    if (!acceptsSse(headerOf(request.headers, 'accept'))) return refuse('notAcceptingSse');
    const session = await sessions.of(request);
    if (!(session instanceof LegacySession)) return rejectionResponse(session);
    const lastEventId = headerOf(request.headers, MCP_HEADERS.lastEventId);
    if (lastEventId === undefined) return session.openStandalone() ?? refuse('getStreamOpen');
    const cursor = decodeEventId(lastEventId);
    if (!cursor) return refuse('badLastEventId');
    return (await session.resume(cursor)) ?? refuse('nothingToResume');
  };

  const remove = async (request: HttpRequest): Promise<HttpResponse> => {
    // A modern client has no GET stream and no session to delete (2026-07-28 streamable-http).
    if (isModernVersion(headerOf(request.headers, MCP_HEADERS.protocolVersion))) return refuse('postOnly', { headers: { allow: 'POST' } });
    const session = await sessions.of(request);
    if (!(session instanceof LegacySession)) return rejectionResponse(session);
    await session.delete();
    return NO_CONTENT;
  };

  const methods = stateless ? 'POST' : 'GET, POST, DELETE';
  const routes: Readonly<Record<string, (request: HttpRequest) => Promise<HttpResponse>>> = stateless ? { POST: post } : { POST: post, GET: get, DELETE: remove };
  const core = serveHttp(
    {
      route: (request, url) => (options.path === undefined || url.pathname === options.path ? { methods, handler: routes[request.method] } : undefined),
      allowedOrigins: options.allowedOrigins,
      allowedHosts: options.allowedHosts,
      onError,
      name: 'Streamable HTTP',
    },
    async () => {
      closing = true;
      await Promise.allSettled([...exchanges].map((ex) => ex.close('handler closed')));
      await sessions.closeAll('handler closed');
      hub.closeAll();
    },
  );
  return {
    ...core,
    closeSseStream: (sessionId, requestId) => sessions.get(sessionId)?.closeStream(requestId) ?? false,
    get sessionCount() {
      return sessions.size;
    },
  };
}
