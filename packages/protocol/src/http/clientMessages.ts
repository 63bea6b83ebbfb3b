import { META } from '../constants.js';
import { ERROR_CODES } from '../errors.js';
import type { RequestId } from '../schemas/jsonrpc.js';
import { isModernErrorCode } from '../era/modernErrorCodes.js';
import { legacyHandshakeStep } from './httpRoute.js';

type Message = Readonly<Record<string, unknown>>;

/** Statuses with which a server that predates Streamable HTTP refuses the `initialize` POST. */
const LEGACY_SSE_STATUSES: ReadonlySet<number> = new Set([400, 404, 405]);

/**
 * Whether a refused legacy `initialize` POST points at a 2024-11-05 HTTP+SSE
 * server (2025-11-25 transports §backwards compatibility): 400, 404 or 405,
 * and no modern error in the body (that would name a modern server).
 */
export function pointsAtLegacySse(status: number, errorCode: unknown): boolean {
  return LEGACY_SSE_STATUSES.has(status) && !isModernErrorCode(errorCode);
}

/** A JSON-RPC error response an HTTP client transport makes up for a request the wire cannot answer. */
export type LocalFailureResponse = {
  readonly jsonrpc: '2.0';
  readonly id: RequestId;
  readonly error: { readonly code: number; readonly message: string };
};

/**
 * The response an HTTP client transport hands its engine when a request's
 * POST or stream failed for good, so the request settles with
 * ConnectionClosed instead of waiting for its timeout.
 */
export function connectionClosedResponse(id: RequestId, reason: string): LocalFailureResponse {
  return { jsonrpc: '2.0', id, error: { code: ERROR_CODES.ConnectionClosed, message: reason } };
}

/**
 * The same request under another id: a modern request re-issued after its
 * stream broke, or a legacy `initialize` replayed to open a new session.
 * Called by the HTTP client transport, whose own ids never reach the engine.
 */
export function withRequestId(request: Message, id: RequestId): Message {
  return { ...request, id };
}

/**
 * Whether an outgoing message is the legacy `initialize` request, which opens
 * a session: the HTTP client keeps it to replay it, and reads the negotiated
 * revision from its answer.
 */
export function isLegacyInitialize(message: Message): boolean {
  return legacyHandshakeStep(message) === 'initialize';
}

/** Whether an outgoing message is the legacy `initialized` notification, after which the GET stream opens. */
export function isLegacyInitialized(message: Message): boolean {
  return legacyHandshakeStep(message) === 'initialized';
}

/**
 * The response id of an inbound message, or undefined when it is a request or
 * notification (or a response with id null, which answers nothing we sent).
 */
export function responseIdOf(message: Message): RequestId | undefined {
  if (message.method !== undefined) return undefined;
  const id = message.id;
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}

/**
 * One page of `tools/list`, sent by an HTTP client transport on behalf of a
 * `tools/call` the server refused with HeaderMismatch (2026-07-28
 * streamable-http §client behavior): it carries the refused request's modern
 * envelope (revision, client info and capabilities), so the server answers
 * it in the same era.
 */
export function toolListPageRequest(id: RequestId, cursor: string | undefined, onBehalfOf: Message): Message {
  const meta = ((onBehalfOf.params as Message | undefined)?._meta ?? {}) as Message;
  const envelope = {
    [META.protocolVersion]: meta[META.protocolVersion],
    [META.clientCapabilities]: meta[META.clientCapabilities],
    [META.clientInfo]: meta[META.clientInfo],
  };
  return { jsonrpc: '2.0', id, method: 'tools/list', params: { ...(cursor === undefined ? {} : { cursor }), _meta: envelope } };
}

/** The `nextCursor` of a `tools/list` answer, or undefined on its last page. */
export function nextCursorOf(answer: Message): string | undefined {
  const cursor = (answer.result as Message | undefined)?.nextCursor;
  return typeof cursor === 'string' ? cursor : undefined;
}

/**
 * A message from a re-issued request's stream with the subscription id in
 * its `_meta` mapped back from the wire id to the engine's (2026-07-28
 * subscriptions: a listen stream's notifications name the request that opened
 * it). Any other message comes back as it was.
 */
export function withSubscriptionIdMapped(message: Message, wireId: RequestId, engineId: RequestId): Message {
  if (typeof message.method !== 'string') return message;
  const params = message.params as Message | undefined;
  const meta = params?._meta as Message | undefined;
  if (meta?.[META.subscriptionId] !== wireId) return message;
  return { ...message, params: { ...params, _meta: { ...meta, [META.subscriptionId]: engineId } } };
}
