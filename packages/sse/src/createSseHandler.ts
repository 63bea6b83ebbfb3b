import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  checkOrigin,
  corsHeaders,
  corsPreflightHeaders,
  isLoopbackAddress,
  parseMessage,
  ProtocolError,
  TransportError,
  type ConnectedClient,
  type InvalidMessageData,
  type JSONRPCMessage,
  type OriginPolicy,
  type Server,
} from '@tidings/protocol';
import { createSseSessionTransport, type SseSessionTransport } from './createSseSessionTransport.js';
import { readBody } from './readBody.js';
import { replyError } from './replyError.js';

/** Options of {@link createSseHandler}. */
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
  /**
   * Bytes a stream may have waiting on a slow reader (written after the
   * socket stopped accepting, until it drains). Past it the stream is closed
   * and its session ends.
   * @default 8 MiB
   */
  readonly maxQueuedBytes?: number;
  /** Messages that may wait for a slow client before its stream is closed, as `maxQueuedBytes`. @default 10_000 */
  readonly maxQueuedMessages?: number;
}

/**
 * A Node request handler for `node:http`, express or any framework that hands
 * over Node's request and response. The promise settles when the request was
 * answered (for a GET, once the stream is open); it never rejects.
 */
export interface SseHandler {
  (req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Ends every open stream and session; later requests get 503. Resolves once the sessions are closed. */
  close(): Promise<void>;
}

interface Session {
  readonly transport: SseSessionTransport;
  readonly client: ConnectedClient;
}

const MiB = 1024 * 1024;

/**
 * Serves the legacy HTTP+SSE transport of protocol revision 2024-11-05
 * (PROTOCOL.md §sse): GET `endpointPath` opens a stream whose first event,
 * `endpoint`, names the POST URI `messagesPath?sessionId=<random id>`; each
 * POST there delivers one message to that stream's session and is answered
 * 202. Refusals carry a JSON-RPC error body: 400 (no session id, not JSON →
 * −32700, not JSON-RPC → −32600), 403 (Origin/Host), 404 (unknown session),
 * 405, 413, 415. The session ends when its stream closes.
 */
export function createSseHandler(options: SseHandlerOptions): SseHandler {
  const { server } = options;
  const endpointPath = options.endpointPath ?? '/sse';
  const messagesPath = options.messagesPath ?? '/messages';
  const maxBodyBytes = options.maxBodyBytes ?? 4 * MiB;
  const limits = {
    keepAliveMs: options.keepAliveMs ?? 15_000,
    maxQueuedBytes: options.maxQueuedBytes ?? 8 * MiB,
    maxQueuedMessages: options.maxQueuedMessages ?? 10_000,
  };
  const sessions = new Map<string, Session>();
  let closing = false;

  const openStream = (res: ServerResponse): void => {
    const sessionId = randomUUID();
    const transport = createSseSessionTransport(res, sessionId, limits, () => sessions.delete(sessionId));
    const client = server.connect(transport);
    sessions.set(sessionId, { transport, client });
    transport.open(`${messagesPath}?sessionId=${encodeURIComponent(sessionId)}`);
  };

  const postMessage = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const sessionId = url.searchParams.get('sessionId');
    if (!sessionId) return replyError(res, 400, 'InvalidRequest', 'Bad Request: the sessionId query parameter is missing');
    const session = sessions.get(sessionId);
    if (!session) return replyError(res, 404, 'InvalidRequest', 'Session not found: open a new stream to get a session');
    const type = req.headers['content-type'];
    if (!isJson(type)) {
      return replyError(res, 415, 'InvalidRequest', `Unsupported Media Type: expected application/json, got ${type ?? 'none'}`);
    }
    const body = await readBody(req, maxBodyBytes);
    if (body.kind === 'aborted') return;
    if (body.kind === 'too-large') {
      return replyError(res, 413, 'InvalidRequest', `Payload Too Large: a message may have at most ${maxBodyBytes} bytes (maxBodyBytes)`, {
        headers: body.discarding ? {} : { Connection: 'close' },
      });
    }
    let message: JSONRPCMessage;
    try {
      message = parseMessage(body.kind === 'text' ? body.text : body.value);
    } catch (error) {
      const failure = error instanceof ProtocolError ? error : new ProtocolError('InvalidRequest', 'Invalid request');
      session.transport.fault(new TransportError(`Refused a POST: ${failure.message}`, { cause: failure }));
      const id = (failure.data as InvalidMessageData | undefined)?.id;
      return replyError(res, 400, failure.code, failure.message, { id });
    }
    session.transport.receive(message);
    res.writeHead(202, { 'Content-Type': 'text/plain' }).end('Accepted');
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL((req as { originalUrl?: string }).originalUrl ?? req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const opens = path === endpointPath;
    const posts = path === messagesPath;
    if (!opens && !posts) return replyError(res, 404, 'InvalidRequest', `Not Found: ${path}`);
    if (closing) return replyError(res, 503, 'InternalError', 'Service Unavailable: the server is shutting down');
    // DNS-rebinding protection (2024-11-05 transports §security): loopback-only by default on a loopback listener.
    const refusal = checkOrigin(req.headers.host, req.headers.origin, {
      allowedOrigins: options.allowedOrigins,
      allowedHosts: options.allowedHosts,
      loopback: isLoopbackAddress(req.socket.localAddress),
    });
    if (refusal) return replyError(res, refusal.status, refusal.error.code, refusal.error.message);
    const methods = [opens ? 'GET' : undefined, posts ? 'POST' : undefined].filter(Boolean).join(', ');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, corsPreflightHeaders(req.headers.origin, methods, req.headers['access-control-request-headers']));
      return void res.end();
    }
    for (const [name, value] of Object.entries(corsHeaders(req.headers.origin) ?? {})) res.setHeader(name, value);
    if (opens && req.method === 'GET') return openStream(res);
    if (posts && req.method === 'POST') return postMessage(req, res, url);
    return replyError(res, 405, 'InvalidRequest', `Method Not Allowed: ${req.method ?? ''} ${path}`, { headers: { Allow: methods } });
  };

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      await handle(req, res);
    } catch {
      // Our own bug, not the client's: answer it rather than reject into a framework that may not catch.
      replyError(res, 500, 'InternalError', 'Internal Server Error');
    }
  };
  handler.close = async (): Promise<void> => {
    closing = true;
    await Promise.allSettled([...sessions.values()].map((s) => s.client.close('server shutting down')));
  };
  return handler;
}

function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const [type, ...params] = contentType.split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'application/json') return false;
  const charset = params.find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '');
  return charset === undefined || charset === 'utf-8' || charset === 'utf8';
}
