import { TransportError } from '@tidings/protocol';

/**
 * Why a WebSocket connection ended, when it did not end normally. Passed as
 * the reason of `sink.closed` (so it reaches a client's `onClose` and the
 * `cause` of the ConnectionClosed errors of pending requests) and to a
 * server's `onError`.
 */
export class WebSocketClosedError extends TransportError {
  /** The close code (see {@link WEBSOCKET_CLOSE_CODES}); 1006 when no close frame was exchanged. */
  readonly code: number;
  /** The close reason text, possibly empty. */
  readonly reason: string;

  constructor(code: number, reason: string, message?: string, options: { cause?: unknown } = {}) {
    super(message ?? `WebSocket closed with code ${code}${reason ? `: ${reason}` : ''}`, options);
    this.code = code;
    this.reason = reason;
  }
}
