import { ProtocolError, type ProtocolErrorCode, type RequestId } from '@tidings/protocol';
import { jsonRpcErrorBody, type HttpRejection } from '@tidings/protocol/http';
import type { HttpResponse } from './types.js';

/**
 * Every refusal the HTTP core answers, in one table: status, the JSON-RPC
 * error code of the body, and the message (2025-11-25 and 2026-07-28
 * transports, 2024-11-05 HTTP+SSE; PROTOCOL.md §streamable-http, §sse).
 */
const REFUSALS = {
  sessionIdMissing: [400, 'InvalidRequest', 'Bad Request: Mcp-Session-Id header is required'],
  sessionNotFound: [404, 'InvalidRequest', 'Session not found'],
  sessionClosed: [404, 'InvalidRequest', 'Session closed'],
  requestIdInUse: [400, 'InvalidRequest', 'Request id already in use'],
  notJson: [415, 'InvalidRequest', 'Unsupported Media Type: Content-Type must be application/json'],
  notAcceptingJsonAndSse: [406, 'InvalidRequest', 'Not Acceptable: Accept must list application/json and text/event-stream'],
  notAcceptingSse: [406, 'InvalidRequest', 'Not Acceptable: Accept must list text/event-stream'],
  postOnly: [405, 'InvalidRequest', 'Method Not Allowed: this endpoint takes POST'],
  methodNotAllowed: [405, 'InvalidRequest', 'Method Not Allowed'],
  getStreamOpen: [409, 'InvalidRequest', 'Conflict: this session already has a GET stream open'],
  badLastEventId: [400, 'InvalidRequest', 'Bad Request: malformed Last-Event-ID'],
  nothingToResume: [400, 'InvalidRequest', 'Bad Request: nothing to resume after this Last-Event-ID'],
  closed: [503, 'InternalError', 'Service Unavailable: the MCP endpoint is closed'],
  streamWriterGone: [410, 'InternalError', 'Gone: the node that served this request stopped before its response; send the request again'],
  sessionStoreDown: [503, 'InternalError', 'Service Unavailable: the session store did not answer; retry'],
  internal: [500, 'InternalError', 'Internal error'],
  notFound: [404, 'InvalidRequest', 'Not Found'],
  tooLarge: [413, 'InvalidRequest', 'Payload Too Large'],
  unreadableBody: [400, 'ParseError', 'Parse error: the body could not be read'],
  invalidJson: [400, 'ParseError', 'Parse error: the body is not valid JSON'],
  sseSessionIdMissing: [400, 'InvalidRequest', 'Bad Request: the sessionId query parameter is missing'],
  sseSessionNotFound: [404, 'InvalidRequest', 'Session not found: open a new stream to get a session'],
} as const satisfies Record<string, readonly [number, ProtocolErrorCode, string]>;

/** The name of one refusal of the table. */
export type RefusalKind = keyof typeof REFUSALS;

/** What a refusal may add: a detail after the table's message, extra headers. */
export interface RefusalOptions {
  /** Appended to the table's message after `: `. */
  readonly detail?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A refusal of the table as an {@link HttpRejection}. */
export function refusal(kind: RefusalKind, options: RefusalOptions = {}): HttpRejection {
  const [status, code, message] = REFUSALS[kind];
  const error = new ProtocolError(code, options.detail === undefined ? message : `${message}: ${options.detail}`);
  return options.headers === undefined ? { status, error } : { status, error, headers: options.headers };
}

/** A JSON body reply. */
export function jsonResponse(status: number, body: string, headers: Readonly<Record<string, string>> = {}): HttpResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body };
}

/** A rejection as a reply: its status, and a JSON-RPC error body with the refused request's id when known (JSON-RPC 2.0 §5). */
export function rejectionResponse(rejection: HttpRejection, id: RequestId | null = null): HttpResponse {
  return jsonResponse(rejection.status, jsonRpcErrorBody(id, rejection.error), rejection.headers);
}

/** A refusal of the table as a reply. */
export function refuse(kind: RefusalKind, options: RefusalOptions & { readonly id?: RequestId | null } = {}): HttpResponse {
  return rejectionResponse(refusal(kind, options), options.id ?? null);
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** 202: a notification or response was taken. */
export const ACCEPTED: HttpResponse = Object.freeze({ status: 202, headers: NO_HEADERS, body: undefined });

/** 204: done, nothing to say. */
export const NO_CONTENT: HttpResponse = Object.freeze({ status: 204, headers: NO_HEADERS, body: undefined });
