import { classifyRequest, hasModernEnvelope } from '../era/classifyRequest.js';
import { isModernVersion } from '../era/versions.js';
import type { RequestId } from '../schemas/jsonrpc.js';

/**
 * Where a Streamable HTTP server sends one POSTed message (PROTOCOL.md
 * §streamable-http):
 * - `modern`: a stateless request (modern envelope, a modern
 *   `MCP-Protocol-Version` header, or the era-neutral `server/discover`),
 *   served by one short-lived connection;
 * - `open-session`: a legacy `initialize`, which mints a new session;
 * - `legacy`: anything else, which belongs to an existing legacy session.
 */
export type HttpMessageRoute = 'modern' | 'open-session' | 'legacy';

/**
 * Classifies a POSTed JSON-RPC message already checked by `parseMessage`.
 * Called by the HTTP adapter for every POST, so the adapter never looks at a
 * method name itself.
 */
export function routeHttpMessage(message: Readonly<Record<string, unknown>>, protocolVersionHeader: string | undefined): HttpMessageRoute {
  const method = message.method;
  if (typeof method !== 'string') return 'legacy';
  if (isModernVersion(protocolVersionHeader)) return 'modern';
  if (message.id === undefined) return hasModernEnvelope(message.params) ? 'modern' : 'legacy';
  const era = classifyRequest(method, message.params);
  if (era !== 'legacy') return 'modern';
  return method === 'initialize' ? 'open-session' : 'legacy';
}

/** A step of the legacy handshake a client sends (lifecycle §initialization). */
export type LegacyHandshakeStep = 'initialize' | 'initialized';

/**
 * Which handshake step an outgoing client message is, if any. The HTTP client
 * transport caches both steps to re-initialize a session the server expired,
 * and opens its GET stream once `initialized` went out.
 */
export function legacyHandshakeStep(message: Readonly<Record<string, unknown>>): LegacyHandshakeStep | undefined {
  if (message.method === 'initialize' && message.id !== undefined && !hasModernEnvelope(message.params)) return 'initialize';
  if (message.method === 'notifications/initialized' && message.id === undefined) return 'initialized';
  return undefined;
}

/**
 * The request a `notifications/cancelled` message cancels, if the message is
 * one: the HTTP server ends that request's stream, since no response follows.
 */
export function cancelledRequestId(message: Readonly<Record<string, unknown>>): RequestId | undefined {
  if (message.method !== 'notifications/cancelled' || message.id !== undefined) return undefined;
  const id = (message.params as { requestId?: unknown } | undefined)?.requestId;
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}

/**
 * The protocol revision a legacy server chose, read from an `initialize`
 * response, so the client can send it as `MCP-Protocol-Version` afterwards.
 */
export function negotiatedVersionOf(response: Readonly<Record<string, unknown>>): string | undefined {
  const version = (response.result as { protocolVersion?: unknown } | undefined)?.protocolVersion;
  return typeof version === 'string' ? version : undefined;
}
