/**
 * The one error type of Tidings. A string code names the failure; tables map it
 * to the JSON-RPC number that goes on the wire and to the HTTP status an HTTP
 * adapter answers with (PROTOCOL.md §errors).
 */
export const ERROR_CODES = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** Implementation-defined range: the peer went away before answering. */
  ConnectionClosed: -32000,
  /** Implementation-defined range: no answer within the request's timeout. */
  RequestTimeout: -32001,
  /** Legacy era only: modern servers answer a missing resource with InvalidParams. */
  ResourceNotFound: -32002,
  /** The caller aborted its own request; never sent on the wire by Tidings. */
  RequestCancelled: -32800,
  /** A local call refused because a negotiated capability or filter forbids it. */
  CapabilityNotSupported: -32010,
  HeaderMismatch: -32020,
  MissingRequiredClientCapability: -32021,
  UnsupportedProtocolVersion: -32022,
} as const;

/** String name of every error Tidings raises or recognises. */
export type ProtocolErrorCode = keyof typeof ERROR_CODES;

const CODE_BY_NUMBER = new Map<number, ProtocolErrorCode>(
  Object.entries(ERROR_CODES).map(([name, num]) => [num, name as ProtocolErrorCode]),
);

/** HTTP status an HTTP adapter answers with when a request fails with this code. */
export const HTTP_STATUS_BY_CODE: Readonly<Record<ProtocolErrorCode, number>> = {
  ParseError: 400,
  InvalidRequest: 400,
  MethodNotFound: 404,
  InvalidParams: 400,
  InternalError: 500,
  ConnectionClosed: 500,
  RequestTimeout: 504,
  ResourceNotFound: 404,
  RequestCancelled: 499,
  CapabilityNotSupported: 400,
  HeaderMismatch: 400,
  MissingRequiredClientCapability: 400,
  UnsupportedProtocolVersion: 400,
};

/** Options of {@link ProtocolError}. */
export interface ProtocolErrorOptions {
  /** Structured detail sent as the JSON-RPC `error.data`. */
  readonly data?: unknown;
  /** The underlying failure, kept for logs and never sent on the wire. */
  readonly cause?: unknown;
  /** JSON-RPC number when it is not the one of `code` (an unknown code from a peer). */
  readonly rpcCode?: number;
}

/**
 * A failure with a JSON-RPC meaning. Thrown by the engine and the roles,
 * received by callers of `request`, and built from every error response a peer
 * sends, so `err.code` is the one thing to branch on.
 */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  /** String name of the failure. */
  readonly code: ProtocolErrorCode;
  /** JSON-RPC error number sent or received on the wire. */
  readonly rpcCode: number;
  /** Structured detail (`error.data`). */
  readonly data: unknown;

  constructor(code: ProtocolErrorCode, message: string, options: ProtocolErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.rpcCode = options.rpcCode ?? ERROR_CODES[code];
    this.data = options.data;
  }

  /** HTTP status for this failure (PROTOCOL.md §errors). */
  get httpStatus(): number {
    return HTTP_STATUS_BY_CODE[this.code];
  }

  /** The JSON-RPC `error` member for this failure. */
  toJSON(): { code: number; message: string; data?: unknown } {
    return this.data === undefined
      ? { code: this.rpcCode, message: this.message }
      : { code: this.rpcCode, message: this.message, data: this.data };
  }

  /** Rebuilds the error a peer sent in a JSON-RPC error response. */
  static fromWire(error: { code: number; message: string; data?: unknown }): ProtocolError {
    const code = CODE_BY_NUMBER.get(error.code) ?? 'InternalError';
    return new ProtocolError(code, error.message, { data: error.data, rpcCode: error.code });
  }
}

/**
 * A fault of the wire itself (a socket error, a child that crashed, a stream
 * that broke). Adapters report it through `onError`; it never escapes as an
 * uncaught exception.
 */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** Options of {@link toProtocolError}. */
export interface ToProtocolErrorOptions {
  /**
   * Whether the message of an unexpected exception may reach the peer.
   * Outside development mode an InternalError says only "Internal error".
   * @default false
   */
  readonly exposeInternalErrors?: boolean;
}

/**
 * The one normaliser used at every boundary: anything thrown by user code or a
 * library becomes a ProtocolError. A ProtocolError passes through; a zod error
 * becomes InvalidParams with its issues in `data`; anything else is the
 * user's bug and becomes InternalError, its message hidden unless exposed.
 */
export function toProtocolError(error: unknown, options: ToProtocolErrorOptions = {}): ProtocolError {
  if (error instanceof ProtocolError) return error;
  if (isZodError(error)) {
    return new ProtocolError('InvalidParams', 'Invalid params', { data: { issues: error.issues }, cause: error });
  }
  const message =
    options.exposeInternalErrors && error instanceof Error ? error.message : 'Internal error';
  return new ProtocolError('InternalError', message, { cause: error });
}

function isZodError(error: unknown): error is { issues: unknown[] } {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'ZodError' &&
    Array.isArray((error as { issues?: unknown }).issues)
  );
}
