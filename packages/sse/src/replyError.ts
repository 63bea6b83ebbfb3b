import type { ServerResponse } from 'node:http';
import { ProtocolError, type ProtocolErrorCode, type RequestId } from '@tidings/protocol';

/**
 * Answers an HTTP request that the handler refuses with `status` and a
 * JSON-RPC error response as the body (PROTOCOL.md §sse): the body names the
 * failure for clients that read it, the status for those that do not. The id
 * is `null` unless the refused message had one we could read (JSON-RPC 2.0 §5).
 */
export function replyError(
  res: ServerResponse,
  status: number,
  code: ProtocolErrorCode,
  message: string,
  options: { readonly id?: RequestId | null; readonly headers?: Readonly<Record<string, string>> } = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = JSON.stringify({ jsonrpc: '2.0', id: options.id ?? null, error: new ProtocolError(code, message).toJSON() });
  res.writeHead(status, { ...options.headers, 'Content-Type': 'application/json' });
  res.end(body);
}
