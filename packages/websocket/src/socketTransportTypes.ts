import type { Transport, TransportError } from '@tidings/protocol';

/** Options shared by the server and client sides of a WebSocket transport. */
export interface SocketTransportOptions {
  /**
   * Bytes that may wait in the socket's outbound buffer. A send that finds
   * more than this buffered closes the connection with 1013 (slow consumer).
   */
  readonly maxBufferedBytes: number;
  /** Frames that may wait to be written; past it the connection is closed with 1013 like `maxBufferedBytes`. */
  readonly maxQueuedMessages: number;
  /** How long a close we start may wait for the peer's close frame before the socket is dropped. */
  readonly closeTimeoutMs: number;
  /** How long a connecting socket may take to open before it is closed and `opened` rejects; unset leaves it to the socket (`ws` has its own). */
  readonly handshakeTimeoutMs?: number;
  /** Called with faults worth logging that the transport handled itself (slow consumer, binary frame). */
  readonly onFault?: (error: TransportError) => void;
}

/**
 * A {@link Transport} over one socket (`ws` on Node, the platform WebSocket
 * elsewhere), with the controls its owner needs.
 */
export interface SocketTransport extends Transport {
  /** Settles once the socket is open; rejects when it closed first (client handshake failure). */
  readonly opened: Promise<void>;
  /** Settles once the socket is closed (its `close` event fired, or the close timeout gave up on it). Never rejects. */
  readonly done: Promise<void>;
  /** Closes with a code and reason; the socket is dropped if the peer does not answer within the close timeout. */
  closeWith(code: number, reason: string): Promise<void>;
  /** Drops the socket at once, without waiting for a closing handshake; `reason` becomes the reason of `sink.closed`. */
  abort(reason: TransportError): void;
}
