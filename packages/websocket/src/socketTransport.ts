import { nextTurn, TransportError, type TransportSink } from '@tidings/protocol';
import WebSocket from 'ws';
import { WEBSOCKET_CLOSE_CODES } from './closeCodes.js';
import { fitCloseReason } from './fitCloseReason.js';
import type { SocketTransport, SocketTransportOptions } from './socketTransportTypes.js';
import { WebSocketClosedError } from './webSocketClosedError.js';
import { socketLifecycle } from './socketLifecycle.js';

export type { SocketTransport, SocketTransportOptions } from './socketTransportTypes.js';
export { fitCloseReason } from './fitCloseReason.js';

const QUEUED = Promise.resolve();

/** Messages held while the transport is not started yet (the server starts it synchronously; this is a safety net). */
const MAX_EARLY_MESSAGES = 1024;
/** Messages that may wait for a connecting client socket to open. */
const MAX_WAITING_FOR_OPEN = 1024;
/** RFC 6455 §7.4.1: the peer closed without giving a code (not sent on the wire). */
const NO_STATUS_RECEIVED = 1005;

/**
 * Wraps a `ws` socket (open on the server side, connecting on the client side)
 * as a Transport: one JSON-RPC message per text frame (PROTOCOL.md §websocket).
 * Sends resolve when `ws` handed the frame to the OS; the slow-consumer policy
 * bounds what waits in between.
 */
export function createSocketTransport(socket: WebSocket, options: SocketTransportOptions): SocketTransport {
  let sink: TransportSink | undefined;
  let early: string[] | undefined = [];
  let waiting: Array<{ data: string; resolve: () => void; reject: (error: TransportError) => void }> = [];
  /** Why sends are refused from now on; set when we start closing. */
  let refusal: TransportError | undefined;
  /** Our own explanation of the close, preferred over what the close event says. */
  let ourReason: TransportError | undefined;
  let socketError: Error | undefined;
  let closeEvent: { code: number; reason: string } | undefined;
  let closeTimer: ReturnType<typeof setTimeout> | undefined;
  let wasOpen = socket.readyState === WebSocket.OPEN;
  /** Frames handed to `ws` whose write has not completed: the queue's message count. */
  let unsent = 0;

  const { opened, markOpened, failOpen, done, markDone, fault } = socketLifecycle(options.onFault);

  const closeReason = (): Error | undefined => {
    if (ourReason) return ourReason;
    let { code, reason } = closeEvent ?? { code: WEBSOCKET_CLOSE_CODES.AbnormalClosure, reason: '' };
    // After a framing error `ws` closes with a code of its own and stops reading, so the
    // close event says 1006; the code it sent is the better explanation.
    const sentCode = closeCodeOfWsError(socketError);
    if (code === WEBSOCKET_CLOSE_CODES.AbnormalClosure && sentCode !== undefined) code = sentCode;
    if (!socketError && (code === WEBSOCKET_CLOSE_CODES.NormalClosure || code === NO_STATUS_RECEIVED)) return undefined;
    if (!socketError) return new WebSocketClosedError(code, reason);
    if (!wasOpen) return new TransportError(`The WebSocket did not open: ${socketError.message}`, { cause: socketError });
    const message = `WebSocket closed with code ${code}${reason ? `: ${reason}` : ''} (${socketError.message})`;
    return new WebSocketClosedError(code, reason, message, { cause: socketError });
  };

  const write = (data: string, queued: boolean): Promise<void> => {
    if (refusal) return Promise.reject(refusal);
    if (socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(new TransportError('The WebSocket is not open'));
    }
    // Slow-consumer policy (PROTOCOL.md §slow-consumers): the check runs before the write,
    // so the buffer never holds more than the limit plus one message.
    const buffered = socket.bufferedAmount;
    if (buffered > options.maxBufferedBytes || unsent >= options.maxQueuedMessages) {
      const error = new WebSocketClosedError(
        WEBSOCKET_CLOSE_CODES.TryAgainLater,
        'slow consumer',
        `The peer reads too slowly: ${unsent} messages (${buffered} bytes) wait to be written, over the limit of ` +
          `${options.maxQueuedMessages} messages or ${options.maxBufferedBytes} bytes; closed with 1013`,
      );
      ourReason ??= error;
      refusal = error;
      fault(error);
      void closeWith(WEBSOCKET_CLOSE_CODES.TryAgainLater, 'slow consumer: too much unread data');
      return Promise.reject(error);
    }
    unsent++;
    if (queued) {
      // A queued send never waits for this peer's drain; a write error closes the socket, which the
      // close event reports. A peer that is behind costs the sender one event-loop turn, so others flush.
      socket.send(data, afterQueuedWrite);
      return socket.bufferedAmount > 0 ? nextTurn() : QUEUED;
    }
    return new Promise<void>((resolve, reject) => {
      socket.send(data, (error) => {
        unsent--;
        if (error) reject(new TransportError(`Could not write to the WebSocket: ${error.message}`, { cause: error }));
        else resolve();
      });
    });
  };
  const afterQueuedWrite = (): void => {
    unsent--;
  };

  const closeWith = (code: number, reason: string): Promise<void> => {
    refusal ??= new TransportError('The WebSocket is closing');
    if (closeEvent) return done;
    if (socket.readyState === WebSocket.CONNECTING) ourReason ??= new TransportError('The WebSocket was closed before it opened');
    try {
      socket.close(code, fitCloseReason(reason));
    } catch (error) {
      // `ws` throws for a code it does not accept; there is nothing to keep.
      socket.terminate();
      fault(new TransportError('Could not close the WebSocket cleanly', { cause: error }));
    }
    if (closeTimer === undefined && !closeEvent) {
      closeTimer = setTimeout(() => socket.terminate(), options.closeTimeoutMs);
    }
    return done;
  };

  const onOpen = (): void => {
    wasOpen = true;
    markOpened();
    const queued = waiting;
    waiting = [];
    // Flushed synchronously, in order, before any later send can overtake them.
    for (const item of queued) write(item.data, false).then(item.resolve, item.reject);
  };

  const onMessage = (data: WebSocket.RawData, isBinary: boolean): void => {
    if (refusal) return;
    if (isBinary) {
      const error = new WebSocketClosedError(
        WEBSOCKET_CLOSE_CODES.UnsupportedData,
        'binary frames are not supported',
        'The peer sent a binary frame; MCP over WebSocket carries one JSON-RPC message per text frame. Closed with 1003',
      );
      ourReason ??= error;
      fault(error);
      void closeWith(WEBSOCKET_CLOSE_CODES.UnsupportedData, 'binary frames are not supported: send each JSON-RPC message as a text frame');
      return;
    }
    const text = rawToString(data);
    if (sink) {
      sink.message(text);
      return;
    }
    if (early && early.length < MAX_EARLY_MESSAGES) {
      early.push(text);
      return;
    }
    ourReason ??= new WebSocketClosedError(WEBSOCKET_CLOSE_CODES.PolicyViolation, 'too many messages before start');
    void closeWith(WEBSOCKET_CLOSE_CODES.PolicyViolation, 'too many messages before the connection was ready');
  };

  const onError = (error: Error): void => {
    // `ws` always follows an error with `close`; the error only explains it.
    if (socketError || closeEvent) return;
    socketError = error;
    fault(new TransportError(`WebSocket error: ${error.message}`, { cause: error }));
  };

  const onClose = (code: number, reason: Buffer): void => {
    closeEvent = { code, reason: reason.toString('utf8') };
    if (closeTimer !== undefined) clearTimeout(closeTimer);
    closeTimer = undefined;
    refusal ??= new TransportError('The WebSocket is closed');
    socket.off('open', onOpen);
    socket.off('message', onMessage);
    socket.off('close', onClose);
    // The error listener stays: `ws` may still emit a late socket error, and an EventEmitter without one throws.
    const why = closeReason();
    const failure = why instanceof TransportError ? why : new TransportError('The WebSocket closed before it opened');
    failOpen(failure);
    const queued = waiting;
    waiting = [];
    for (const item of queued) item.reject(failure);
    markDone();
    if (sink) sink.closed(why);
  };

  socket.on('open', onOpen);
  socket.on('message', onMessage);
  socket.on('error', onError);
  socket.on('close', onClose);
  if (wasOpen) markOpened();

  return {
    kind: 'websocket',
    opened,
    done,
    start(next) {
      if (sink) throw new TransportError('The WebSocket transport was already started');
      sink = next;
      const held = early ?? [];
      early = undefined;
      for (const text of held) next.message(text);
      if (closeEvent) next.closed(closeReason());
    },
    send(data, sendOptions) {
      if (socket.readyState !== WebSocket.CONNECTING || refusal) return write(data, sendOptions?.queued === true);
      if (waiting.length >= MAX_WAITING_FOR_OPEN) {
        return Promise.reject(new TransportError(`More than ${MAX_WAITING_FOR_OPEN} messages are waiting for the WebSocket to open`));
      }
      return new Promise<void>((resolve, reject) => waiting.push({ data, resolve, reject }));
    },
    close(reason) {
      return closeWith(WEBSOCKET_CLOSE_CODES.NormalClosure, reason ?? '');
    },
    closeWith,
    abort(reason) {
      ourReason ??= reason;
      refusal ??= reason;
      if (!closeEvent) socket.terminate();
    },
  };
}

/** The close code `ws` sends for a framing error it detected (its errors carry a `WS_ERR_*` code). */
function closeCodeOfWsError(error: Error | undefined): number | undefined {
  const name = (error as { code?: unknown } | undefined)?.code;
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
