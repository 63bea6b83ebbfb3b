import { ERROR_CODES, HTTP_STATUS_BY_CODE, ProtocolError, type ProtocolErrorCode } from '../errors.js';
import { isModernErrorCode } from '../era/modernErrorCodes.js';
import type { RequestId } from '../schemas/jsonrpc.js';

/** A request the HTTP layer refuses before any connection sees it: status plus the JSON-RPC error of the body. */
export interface HttpRejection {
  readonly status: number;
  readonly error: ProtocolError;
  /** Extra response headers (`Allow` on 405). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Builds a rejection; `code` names the JSON-RPC error of the body. */
export function httpRejection(
  status: number,
  code: ProtocolErrorCode,
  message: string,
  headers?: Readonly<Record<string, string>>,
): HttpRejection {
  return headers === undefined ? { status, error: new ProtocolError(code, message) } : { status, error: new ProtocolError(code, message), headers };
}

/** The rejection for a ProtocolError raised by a check, with the status `HTTP_STATUS_BY_CODE` gives. */
export function rejectionOf(error: ProtocolError): HttpRejection {
  return { status: HTTP_STATUS_BY_CODE[error.code], error };
}

/** The body of an HTTP error: a JSON-RPC error response (id null when the request had none or was unreadable). */
export function jsonRpcErrorBody(id: RequestId | null, error: ProtocolError): string {
  return JSON.stringify({ jsonrpc: '2.0', id, error: error.toJSON() });
}

/**
 * Implementation-defined codes that Tidings reads as local conditions
 * (connection closed, timeout, cancelled): a server's use of them for an HTTP
 * failure must not be mistaken for one.
 */
const LOCAL_CODES = new Set<number>([ERROR_CODES.ConnectionClosed, ERROR_CODES.RequestTimeout, ERROR_CODES.RequestCancelled]);

/**
 * What an HTTP client transport hands its engine when a POSTed request failed
 * with a non-2xx status, so the request settles instead of waiting for its
 * timeout. The server's own JSON-RPC error passes through when it answers
 * this request id (or is a recognised modern error); anything else — an
 * empty or foreign body, an error with id null — becomes an InvalidRequest
 * (4xx) or InternalError (5xx) made up here. So the era probe falls back to
 * `initialize` exactly when the body is not a recognised modern error
 * (2026-07-28 streamable-http §backward compatibility).
 */
export function failedPostResponse(
  status: number,
  body: unknown,
  requestId: RequestId,
): { jsonrpc: '2.0'; id: RequestId; error: { code: number; message: string; data?: unknown } } {
  const error = (body as { error?: unknown } | undefined)?.error as { code?: unknown; message?: unknown; data?: unknown } | undefined;
  const wellFormed = typeof error?.code === 'number' && typeof error.message === 'string';
  if (wellFormed) {
    const code = error!.code as number;
    const own = (body as { id?: unknown }).id === requestId;
    if ((own && !LOCAL_CODES.has(code)) || isModernErrorCode(code)) {
      const message = error!.message as string;
      return { jsonrpc: '2.0', id: requestId, error: error!.data === undefined ? { code, message } : { code, message, data: error!.data } };
    }
  }
  const code = status >= 500 ? ERROR_CODES.InternalError : ERROR_CODES.InvalidRequest;
  const detail = wellFormed ? `: ${error!.message as string}` : '';
  return {
    jsonrpc: '2.0',
    id: requestId,
    error: { code, message: `HTTP ${status}${detail}`, data: wellFormed ? { status, error } : { status } },
  };
}
