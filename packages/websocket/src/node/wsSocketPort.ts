import WebSocket from 'ws';
import { WEBSOCKET_CLOSE_CODES } from '../closeCodes.js';
import type { SocketEvents, SocketPort } from '../socketPort.js';

/**
 * A `ws` socket as a {@link SocketPort}: it reports each write and can be
 * terminated. A class, so a server's idle connection carries no closure per
 * method.
 */
export class WsSocketPort implements SocketPort {
  readonly reportsWrites = true;
  readonly #socket: WebSocket;

  constructor(socket: WebSocket) {
    this.#socket = socket;
  }

  get readyState(): number {
    return this.#socket.readyState;
  }

  get bufferedAmount(): number {
    return this.#socket.bufferedAmount;
  }

  send(data: string, written: (error?: Error) => void): void {
    this.#socket.send(data, written);
  }

  close(code: number, reason: string): void {
    this.#socket.close(code, reason);
  }

  terminate(): void {
    this.#socket.terminate();
  }

  listen(events: SocketEvents): () => void {
    const socket = this.#socket;
    const onOpen = (): void => events.onOpen();
    const onMessage = (data: WebSocket.RawData, isBinary: boolean): void => (isBinary ? events.onBinary() : events.onText(rawToString(data)));
    const onError = (error: Error): void => events.onError({ message: error.message, cause: error, closeCode: closeCodeOfWsError(error) });
    const onClose = (code: number, reason: Buffer): void => events.onClose(code, reason.toString('utf8'));
    socket.on('open', onOpen);
    socket.on('message', onMessage);
    socket.on('error', onError);
    socket.on('close', onClose);
    return () => {
      socket.off('open', onOpen);
      socket.off('message', onMessage);
      socket.off('close', onClose);
      // The error listener stays: `ws` may still emit a late socket error, and an EventEmitter without one throws.
    };
  }
}

/** The close code `ws` sends for a framing error it detected (its errors carry a `WS_ERR_*` code). */
function closeCodeOfWsError(error: Error): number | undefined {
  const name = (error as { code?: unknown }).code;
  if (typeof name !== 'string' || !name.startsWith('WS_ERR_')) return undefined;
  return WS_ERROR_CLOSE_CODES[name] ?? WEBSOCKET_CLOSE_CODES.ProtocolError;
}

/** `ws` receiver errors that do not close with 1002 (ws/lib/receiver.js). */
const WS_ERROR_CLOSE_CODES: Readonly<Record<string, number>> = {
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: WEBSOCKET_CLOSE_CODES.MessageTooBig,
  WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH: WEBSOCKET_CLOSE_CODES.MessageTooBig,
  WS_ERR_INVALID_UTF8: WEBSOCKET_CLOSE_CODES.InvalidPayload,
  WS_ERR_TOO_MANY_BUFFERED_PARTS: WEBSOCKET_CLOSE_CODES.PolicyViolation,
};

/** A text frame's payload as a string (`ws` hands text over as a Buffer by default). */
function rawToString(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
