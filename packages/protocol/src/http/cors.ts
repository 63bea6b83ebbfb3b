import { HEADER_NAME_TOKEN } from './paramHeaders.js';

/** Headers a browser lets a script read only when they are exposed: the session id a client must echo, and the version. */
const EXPOSED_HEADERS = 'Mcp-Session-Id, Mcp-Protocol-Version';

/**
 * CORS headers for a request from `origin`, which the server's origin
 * policy has already allowed (`checkOrigin`): a browser-based client may
 * then read the answer and the `Mcp-Session-Id` it must send back. No
 * `Origin` (not a browser) gets none.
 */
export function corsHeaders(origin: string | undefined): Record<string, string> | undefined {
  if (origin === undefined) return undefined;
  return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': EXPOSED_HEADERS, Vary: 'Origin' };
}

/**
 * The answer to a CORS preflight (`OPTIONS`) from an allowed origin: the
 * methods the endpoint takes and the request headers the browser asked to
 * send (`Mcp-Session-Id`, `Mcp-Method`, `Mcp-Param-*`, `Authorization`…),
 * cached by the browser for ten minutes.
 */
export function corsPreflightHeaders(origin: string | undefined, methods: string, requestedHeaders: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    ...corsHeaders(origin),
    'Access-Control-Allow-Methods': methods,
    'Access-Control-Max-Age': '600',
    Vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    Allow: `${methods}, OPTIONS`,
  };
  const requested = requestedHeaders?.split(',').map((name) => name.trim()).filter((name) => HEADER_NAME_TOKEN.test(name)) ?? [];
  if (requested.length > 0) headers['Access-Control-Allow-Headers'] = requested.join(', ');
  return headers;
}
