import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  acceptsJsonAndSse,
  acceptsSse,
  cancelledRequestId,
  checkLegacyVersionHeader,
  checkModernRequest,
  checkOrigin,
  corsHeaders,
  corsPreflightHeaders,
  isLoopbackAddress,
  decodeEventId,
  headerOf,
  httpRejection,
  isJsonContentType,
  isModernVersion,
  MCP_HEADERS,
  parseMessage,
  rejectionOf,
  routeHttpMessage,
  toProtocolError,
  TransportError,
  type HttpRejection,
  type ConnectOptions,
  type RequestId,
} from '@tidings/protocol';
import { createInMemoryEventStore } from './eventStore.js';
import type { StreamableHttpHandler, StreamableHttpHandlerOptions } from './handlerOptions.js';
import { replyAccepted, replyRejection } from './httpReply.js';
import { LegacySession, type SessionContext } from './legacySession.js';
import { ModernExchange, type ExchangeHost } from './modernExchange.js';
import { readJsonBody } from './readBody.js';
import { DEFAULT_SSE_LIMITS, KeepAliveHub } from './sseConnection.js';

const MiB = 1024 * 1024;

/**
 * Creates the Streamable HTTP handler of `options.server`, serving both eras
 * on one endpoint (PROTOCOL.md §streamable-http): modern requests each on
 * their own short-lived connection, legacy clients in sessions with a GET
 * stream and `Last-Event-ID` resumability.
 */
export function createStreamableHttpHandler(options: StreamableHttpHandlerOptions): StreamableHttpHandler {
  const { server } = options;
  const toolInputSchema = options.toolInputSchema ?? ((name: string) => server.toolInputSchema(name));
  const maxBodyBytes = options.maxBodyBytes ?? 4 * MiB;
  const idleTimeout = options.sessionIdleTimeoutMs ?? 30 * 60_000;
  const stateless = options.legacy === 'stateless';
  const newSessionId = options.generateSessionId ?? randomUUID;
  const onError = options.onError ?? ((error: TransportError) => console.error('[tidings]', error));
  const hub = new KeepAliveHub(options.keepAliveMs ?? 15_000, {
    maxQueuedBytes: options.maxQueuedBytes ?? DEFAULT_SSE_LIMITS.maxQueuedBytes,
    maxQueuedMessages: options.maxQueuedMessages ?? DEFAULT_SSE_LIMITS.maxQueuedMessages,
  });
  const sessions = new Map<string, LegacySession>();
  const exchanges = new Set<ModernExchange>();
  const exchangeHost: ExchangeHost = { hub, onDone: (done) => exchanges.delete(done) };
  let sweeper: ReturnType<typeof setInterval> | undefined;
  let closed = false;

  const context: SessionContext = {
    hub,
    store: options.eventStore === false ? undefined : options.eventStore ?? createInMemoryEventStore(),
    retryMs: options.retryMs ?? 1000,
    now: Date.now,
    onError,
    onClosed: (session) => {
      sessions.delete(session.sessionId);
      if (sessions.size === 0 && sweeper !== undefined) {
        clearInterval(sweeper);
        sweeper = undefined;
      }
    },
  };

  // One timer for all sessions, armed while any exists (no per-session timers).
  const sweep = (): void => {
    const now = Date.now();
    for (const session of sessions.values()) {
      if (session.idle(now, idleTimeout)) void session.connected?.close('session expired');
    }
  };
  const armSweeper = (): void => {
    if (sweeper !== undefined || !Number.isFinite(idleTimeout)) return;
    sweeper = setInterval(sweep, Math.max(5, Math.min(idleTimeout / 2, 60_000)));
    sweeper.unref?.();
  };

  const sessionOf = (req: IncomingMessage, res: ServerResponse): LegacySession | undefined => {
    const id = headerOf(req.headers, MCP_HEADERS.sessionId);
    if (id === undefined) {
      replyRejection(res, httpRejection(400, 'InvalidRequest', 'Bad Request: Mcp-Session-Id header is required'));
      return undefined;
    }
    const session = sessions.get(id);
    if (!session) {
      replyRejection(res, httpRejection(404, 'InvalidRequest', 'Session not found'));
      return undefined;
    }
    const versionError = checkLegacyVersionHeader(headerOf(req.headers, MCP_HEADERS.protocolVersion));
    if (versionError) {
      replyRejection(res, rejectionOf(versionError));
      return undefined;
    }
    return session;
  };

  const exchange = (res: ServerResponse, messages: readonly unknown[], requestId: RequestId, modern: boolean, connectOptions?: ConnectOptions): void => {
    const ex = new ModernExchange(res, exchangeHost, requestId, modern, messages);
    exchanges.add(ex);
    ex.connected = server.connect(ex, connectOptions);
  };

  /** A notification or response with no session to go to: taken (202) and handed to a connection of its own. */
  const oneShot = (res: ServerResponse, message: unknown): void => {
    replyAccepted(res);
    server.connect({
      kind: 'streamable-http',
      start(sink) {
        sink.message(message);
        sink.closed();
      },
      send: () => Promise.reject(new TransportError('no stream for a server message on a notification POST')),
      close: () => Promise.resolve(),
    });
  };

  const post = async (req: IncomingMessage & { body?: unknown }, res: ServerResponse, preParsed: unknown): Promise<void> => {
    if (!isJsonContentType(headerOf(req.headers, 'content-type'))) {
      return replyRejection(res, httpRejection(415, 'InvalidRequest', 'Unsupported Media Type: Content-Type must be application/json'));
    }
    if (!acceptsJsonAndSse(headerOf(req.headers, 'accept'))) {
      return replyRejection(res, httpRejection(406, 'InvalidRequest', 'Not Acceptable: Accept must list application/json and text/event-stream'));
    }
    const body = await readJsonBody(req, preParsed, maxBodyBytes);
    if (!body.ok) return replyRejection(res, body.rejection);
    let message: Record<string, unknown>;
    try {
      message = parseMessage(body.value) as unknown as Record<string, unknown>;
    } catch (error) {
      const failure = toProtocolError(error);
      const id = (failure.data as { id?: RequestId } | undefined)?.id ?? null;
      return replyRejection(res, { status: 400, error: failure }, id);
    }
    const isRequest = message.method !== undefined && message.id !== undefined;
    const requestId = message.id as RequestId;
    const versionHeader = headerOf(req.headers, MCP_HEADERS.protocolVersion);
    const route = routeHttpMessage(message, versionHeader);

    if (route === 'modern') {
      const error = checkModernRequest(req.headers, message, toolInputSchema);
      if (error) return replyRejection(res, rejectionOf(error), isRequest ? requestId : null);
      return isRequest ? exchange(res, [message], requestId, true) : oneShot(res, message);
    }
    if (stateless) {
      const versionError = route === 'open-session' ? undefined : checkLegacyVersionHeader(versionHeader);
      if (versionError) return replyRejection(res, rejectionOf(versionError), isRequest ? requestId : null);
      if (!isRequest) return replyAccepted(res);
      // Each stateless POST is a connection of its own that starts initialized (only initialize itself runs the handshake).
      return exchange(res, [message], requestId, false, route === 'open-session' ? undefined : { statelessLegacy: { protocolVersion: versionHeader } });
    }
    if (route === 'open-session') {
      const session = new LegacySession(newSessionId(), context);
      sessions.set(session.sessionId, session);
      armSweeper();
      session.connected = server.connect(session);
      return session.acceptRequest(requestId, message, res, true);
    }
    const session = sessionOf(req, res);
    if (!session) return;
    if (isRequest) return session.acceptRequest(requestId, message, res, false);
    replyAccepted(res);
    session.acceptMessage(message, cancelledRequestId(message));
  };

  const notAllowed = (res: ServerResponse): void =>
    replyRejection(res, httpRejection(405, 'InvalidRequest', 'Method Not Allowed: this endpoint takes POST', { allow: 'POST' }));

  const get = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (stateless || isModernVersion(headerOf(req.headers, MCP_HEADERS.protocolVersion))) return notAllowed(res);
    if (!acceptsSse(headerOf(req.headers, 'accept'))) {
      return replyRejection(res, httpRejection(406, 'InvalidRequest', 'Not Acceptable: Accept must list text/event-stream'));
    }
    const session = sessionOf(req, res);
    if (!session) return;
    const lastEventId = headerOf(req.headers, MCP_HEADERS.lastEventId);
    if (lastEventId === undefined) {
      if (!session.openStandalone(res)) {
        replyRejection(res, httpRejection(409, 'InvalidRequest', 'Conflict: this session already has a GET stream open'));
      }
      return;
    }
    const cursor = decodeEventId(lastEventId);
    if (!cursor) return replyRejection(res, httpRejection(400, 'InvalidRequest', 'Bad Request: malformed Last-Event-ID'));
    if (!(await session.resume(res, cursor))) {
      replyRejection(res, httpRejection(400, 'InvalidRequest', 'Bad Request: nothing to resume after this Last-Event-ID'));
    }
  };

  const remove = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (stateless || isModernVersion(headerOf(req.headers, MCP_HEADERS.protocolVersion))) return notAllowed(res);
    const session = sessionOf(req, res);
    if (!session) return;
    await (session.connected ? session.connected.close('session deleted by the client') : session.close());
    res.writeHead(204);
    res.end();
  };

  const handle = async (req: IncomingMessage & { body?: unknown }, res: ServerResponse, extra?: unknown): Promise<void> => {
    try {
      if (closed) return replyRejection(res, httpRejection(503, 'InternalError', 'Service Unavailable: the MCP endpoint is closed'));
      const rejection: HttpRejection | undefined = checkOrigin(headerOf(req.headers, 'host'), headerOf(req.headers, 'origin'), {
        allowedOrigins: options.allowedOrigins,
        allowedHosts: options.allowedHosts,
        loopback: isLoopbackAddress(req.socket?.localAddress),
      });
      if (rejection) return replyRejection(res, rejection);
      const origin = headerOf(req.headers, 'origin');
      const methods = stateless ? 'POST' : 'GET, POST, DELETE';
      if (req.method === 'OPTIONS') {
        res.writeHead(204, corsPreflightHeaders(origin, methods, headerOf(req.headers, 'access-control-request-headers')));
        return void res.end();
      }
      for (const [name, value] of Object.entries(corsHeaders(origin) ?? {})) res.setHeader(name, value);
      switch (req.method) {
        case 'POST':
          return await post(req, res, typeof extra === 'function' || extra === undefined ? req.body : extra);
        case 'GET':
          return await get(req, res);
        case 'DELETE':
          return await remove(req, res);
        default:
          return replyRejection(
            res,
            httpRejection(405, 'InvalidRequest', 'Method Not Allowed', { allow: methods }),
          );
      }
    } catch (cause) {
      onError(new TransportError('the Streamable HTTP handler failed on a request', { cause }));
      replyRejection(res, httpRejection(500, 'InternalError', 'Internal error'));
    }
  };

  const handler = Object.assign(handle, {
    async close(): Promise<void> {
      closed = true;
      if (sweeper !== undefined) clearInterval(sweeper);
      sweeper = undefined;
      await Promise.allSettled([...exchanges].map((ex) => ex.close('handler closed')));
      await Promise.allSettled([...sessions.values()].map((s) => (s.connected ? s.connected.close('handler closed') : s.close())));
      hub.closeAll();
    },
    closeSseStream(sessionId: string, requestId?: RequestId): boolean {
      return sessions.get(sessionId)?.closeStream(requestId) ?? false;
    },
  });
  // A getter: Object.assign would copy the value once.
  Object.defineProperty(handler, 'sessionCount', { get: () => sessions.size, enumerable: true });
  return handler as StreamableHttpHandler;
}
