import type { IncomingHttpHeaders } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { checkOrigin, type OriginPolicy } from '@tidings/protocol/http';
import { MCP_SUBPROTOCOL } from './mcpSubprotocol.js';

export { MCP_SUBPROTOCOL } from './mcpSubprotocol.js';

/** Why an upgrade request is turned away, as the HTTP answer says it. */
export interface UpgradeRefusal {
  /** HTTP status of the answer: 400 (subprotocol), 403 (origin), 404 (path), 503 (shutting down). */
  readonly status: number;
  /** Plain-text body that tells the peer what to change. */
  readonly message: string;
}

/** What decides whether an upgrade is accepted: the core's Origin/Host policy (PROTOCOL.md §websocket). */
export type UpgradePolicy = OriginPolicy;

/** The path of a request URL without its query. */
export function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  return query === -1 ? raw : raw.slice(0, query);
}

/**
 * Decides whether an upgrade request may become an MCP WebSocket; a pure
 * function of its headers, so it is tested without a network. Origin and Host
 * follow the core's DNS-rebinding policy (a request without `Origin` is not
 * from a browser and passes); a client that offers subprotocols must offer `mcp`.
 */
export function refuseUpgrade(headers: IncomingHttpHeaders, policy: UpgradePolicy): UpgradeRefusal | undefined {
  const rejection = checkOrigin(headers.host, headers.origin, policy);
  // The status line already says "Forbidden".
  if (rejection) return { status: rejection.status, message: rejection.error.message.replace(/^Forbidden: /, '') };
  const offered = offeredProtocols(headers['sec-websocket-protocol']);
  if (offered.length > 0 && !offered.includes(MCP_SUBPROTOCOL)) {
    return {
      status: 400,
      message: `Unsupported WebSocket subprotocol (offered: ${offered.join(', ')}); offer "${MCP_SUBPROTOCOL}"`,
    };
  }
  return undefined;
}

/** The subprotocols a client offered in `Sec-WebSocket-Protocol` (comma-separated, possibly repeated). */
export function offeredProtocols(header: string | string[] | undefined): string[] {
  if (header === undefined) return [];
  const joined = Array.isArray(header) ? header.join(',') : header;
  return joined
    .split(',')
    .map((token) => token.trim())
    .filter((token) => token.length > 0);
}

/** Answers an upgrade request with an HTTP error and closes the socket once the answer is out. */
export function writeRefusal(socket: Duplex, refusal: UpgradeRefusal): void {
  const body = `${refusal.message}\n`;
  socket.on('error', () => {
    // The peer may hang up before reading the answer; nothing to do about it.
  });
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      '\r\n' +
      body,
  );
}
