import { classifyRequest, isJSONRPCRequest, ProtocolError, type JSONRPCMessage } from '@tidings/protocol';

/**
 * The serialised error response for a request this transport must not carry,
 * or undefined when the message may go to the server. HTTP+SSE exists only in
 * the legacy era (2024-11-05), so a request the core classifies as anything
 * else (`server/discover`, a modern `_meta` envelope) is answered as a legacy
 * server answers an unknown method, −32601; a client probing with
 * `era: 'auto'` then falls back to `initialize` (2026-07-28 versioning.mdx
 * §backward compatibility). The method is read only through the core's
 * classifier; a core option pinning a connection to one era would replace this.
 */
export function refuseModernRequest(message: JSONRPCMessage): string | undefined {
  if (!isJSONRPCRequest(message) || classifyRequest(message.method, message.params) === 'legacy') return undefined;
  const error = new ProtocolError(
    'MethodNotFound',
    `Method not found: ${message.method} (the HTTP+SSE transport carries only the legacy protocol era)`,
  );
  return JSON.stringify({ jsonrpc: '2.0', id: message.id, error: error.toJSON() });
}
