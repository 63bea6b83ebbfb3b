import { nextTurn, TransportError, type TransportSink } from '@tidings/protocol';
import { WEBSOCKET_CLOSE_CODES } from './closeCodes.js';
import { fitCloseReason } from './fitCloseReason.js';
import { READY_STATE } from './platformWebSocket.js';
import { socketLifecycle } from './socketLifecycle.js';
import type { SocketErrorDetail, SocketPort } from './socketPort.js';
import type { SocketTransport, SocketTransportOptions } from './socketTransportTypes.js';
import { WebSocketClosedError } from './webSocketClosedError.js';

const QUEUED = Promise.resolve();
/** Messages held while the transport is not started yet (owners start it at once; this is a safety net). */
const MAX_EARLY_MESSAGES = 1024;
/** Messages that may wait for a connecting socket to open. */
const MAX_WAITING_FOR_OPEN = 1024;
/** RFC 6455 §7.4.1: the peer closed without giving a code (not sent on the wire). */
const NO_STATUS_RECEIVED = 1005;
const { NormalClosure, AbnormalClosure, TryAgainLater, UnsupportedData, PolicyViolation } = WEBSOCKET_CLOSE_CODES;

/**
 * Wraps a socket (open on the server side, connecting on the client side) as
 * a Transport: one JSON-RPC message per text frame (PROTOCOL.md §websocket).
 * The one transport for every socket: what differs between `ws` and the
 * platform WebSocket is behind the {@link SocketPort}. A send resolves once
 * the frame is written where the socket reports writes (`ws`), else once it
 * is handed over (after one event-loop turn while bytes wait); the
 * slow-consumer policy bounds what waits in between. A close the peer does
 * not answer within the close timeout is dropped.
 */
export function createSocketTransport(port: SocketPort, options: SocketTransportOptions): SocketTransport {
  let sink: TransportSink | undefined;
  let early: string[] | undefined = [];
  let waiting: Array<{ data: string; resolve: () => void; reject: (error: TransportError) => void }> = [];
  /** Why sends are refused from now on; set when we start closing. */
  let refusal: TransportError | undefined;
  /** Our own explanation of the close, preferred over what the close event says. */
  let ourReason: TransportError | undefined;
  let socketError: SocketErrorDetail | undefined;
  let closeEvent: { code: number; reason: string } | undefined;
  let handshakeTimer: ReturnType<typeof setTimeout> | undefined;
  let closeTimer: ReturnType<typeof setTimeout> | undefined;
  let wasOpen = port.readyState === READY_STATE.OPEN;
  /**
   * Frames handed to the socket and not known to be written: exact where the
   * socket reports writes, else an upper bound, reset whenever
   * `bufferedAmount` is seen at 0.
   */
  let unsent = 0;

  const { opened, markOpened, failOpen, done, markDone, fault } = socketLifecycle(options.onFault);

  const closeReason = (): Error | undefined => {
    if (ourReason) return ourReason;
    let { code, reason } = closeEvent ?? { code: AbnormalClosure, reason: '' };
    // After a framing error `ws` closes with a code of its own and stops reading, so the
    // close event says 1006; the code it sent is the better explanation.
    if (code === AbnormalClosure && socketError?.closeCode !== undefined) code = socketError.closeCode;
    const cause = { cause: socketError?.cause };
    if (!wasOpen) {
      // A browser does not say why an opening handshake failed (refused upgrade, no listener, TLS): only that it did.
      const detail = socketError?.message ?? `closed with code ${code}; the server may be down or have refused the upgrade`;
      return new TransportError(`The WebSocket did not open: ${detail}`, cause);
    }
    if (!socketError && (code === NormalClosure || code === NO_STATUS_RECEIVED)) return undefined;
    const message = `WebSocket closed with code ${code}${reason ? `: ${reason}` : ''}${socketError?.message ? ` (${socketError.message})` : ''}`;
    return new WebSocketClosedError(code, reason, message, cause);
  };

  const write = (data: string, queued: boolean): Promise<void> => {
    if (refusal) return Promise.reject(refusal);
    if (port.readyState !== READY_STATE.OPEN) return Promise.reject(new TransportError('The WebSocket is not open'));
    const buffered = port.bufferedAmount;
    if (buffered === 0 && !port.reportsWrites) unsent = 0;
    // Slow-consumer policy (PROTOCOL.md §slow-consumers): the check runs before the write,
    // so the buffer never holds more than the limit plus one message.
    if (buffered > options.maxBufferedBytes || unsent >= options.maxQueuedMessages) {
      const error = new WebSocketClosedError(
        TryAgainLater,
        'slow consumer',
        `The peer reads too slowly: ${unsent} messages (${buffered} bytes) wait to be written, over the limit of ` +
          `${options.maxQueuedMessages} messages or ${options.maxBufferedBytes} bytes; closed with 1013`,
      );
      ourReason ??= error;
      refusal = error;
      fault(error);
      void closeWith(TryAgainLater, 'slow consumer: too much unread data');
      return Promise.reject(error);
    }
    if (!queued && port.reportsWrites) {
      unsent++;
      return new Promise<void>((resolve, reject) => {
        port.send(data, (error) => {
          unsent--;
          if (error) reject(new TransportError(`Could not write to the WebSocket: ${error.message}`, { cause: error }));
          else resolve();
        });
      });
    }
    // A queued send never waits for this peer's drain; a write error closes the socket, which the close event reports.
    try {
      port.send(data, afterQueuedWrite);
    } catch (error) {
      return Promise.reject(new TransportError(`Could not write to the WebSocket: ${(error as Error).message}`, { cause: error }));
    }
    unsent++;
    // A peer that is behind costs the sender one event-loop turn, so others (and the socket) get to run.
    return port.bufferedAmount > 0 ? nextTurn() : QUEUED;
  };
  const afterQueuedWrite = (): void => {
    unsent--;
  };

  /** Drops the connection without waiting for the peer; a socket that cannot (the platform's) is asked to close and taken as closed now. */
  const drop = (): void => {
    if (closeEvent) return;
    if (port.terminate) return port.terminate();
    try {
      port.close(NormalClosure, '');
    } catch {
      // Already closing: the platform finishes on its own.
    }
    finish(AbnormalClosure, '');
  };

  const closeWith = (code: number, reason: string): Promise<void> => {
    refusal ??= new TransportError('The WebSocket is closing');
    if (closeEvent) return done;
    if (port.readyState === READY_STATE.CONNECTING) ourReason ??= new TransportError('The WebSocket was closed before it opened');
    clearTimeout(handshakeTimer);
    try {
      port.close(code, fitCloseReason(reason));
    } catch (error) {
      // The socket will not send this code: there is nothing to keep.
      fault(new TransportError('Could not close the WebSocket cleanly', { cause: error }));
      drop();
      return done;
    }
    closeTimer ??= setTimeout(drop, options.closeTimeoutMs);
    return done;
  };

  const finish = (code: number, reason: string): void => {
    if (closeEvent) return;
    closeEvent = { code, reason };
    clearTimeout(handshakeTimer);
    clearTimeout(closeTimer);
    handshakeTimer = closeTimer = undefined;
    refusal ??= new TransportError('The WebSocket is closed');
    unlisten();
    const why = closeReason();
    const failure = why instanceof TransportError ? why : new TransportError('The WebSocket closed before it opened');
    failOpen(failure);
    const queued = waiting;
    waiting = [];
    for (const item of queued) item.reject(failure);
    markDone();
    sink?.closed(why);
  };

  const unlisten = port.listen({
    onOpen() {
      wasOpen = true;
      clearTimeout(handshakeTimer);
      handshakeTimer = undefined;
      markOpened();
      const queued = waiting;
      waiting = [];
      // Flushed synchronously, in order, before any later send can overtake them.
      for (const item of queued) write(item.data, false).then(item.resolve, item.reject);
    },
    onText(text) {
      if (refusal) return;
      if (sink) return sink.message(text);
      if (early && early.length < MAX_EARLY_MESSAGES) {
        early.push(text);
        return;
      }
      ourReason ??= new WebSocketClosedError(PolicyViolation, 'too many messages before start');
      void closeWith(PolicyViolation, 'too many messages before the connection was ready');
    },
    onBinary() {
      if (refusal) return;
      const error = new WebSocketClosedError(
        UnsupportedData,
        'binary frames are not supported',
        'The peer sent a binary frame; MCP over WebSocket carries one JSON-RPC message per text frame. Closed with 1003',
      );
      ourReason ??= error;
      fault(error);
      void closeWith(UnsupportedData, 'binary frames are not supported: send each JSON-RPC message as a text frame');
    },
    onError(error) {
      // The socket always follows an error with `close`; the error only explains it (a browser's says nothing).
      if (socketError || closeEvent) return;
      socketError = error;
      fault(new TransportError(`WebSocket error${error.message ? `: ${error.message}` : ''}`, { cause: error.cause }));
    },
    onClose: finish,
  });
  if (wasOpen) markOpened();
  else if (options.handshakeTimeoutMs !== undefined) {
    handshakeTimer = setTimeout(() => {
      ourReason ??= new TransportError(`The WebSocket did not open within ${options.handshakeTimeoutMs} ms`);
      void closeWith(NormalClosure, '');
    }, options.handshakeTimeoutMs);
  }

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
      if (port.readyState !== READY_STATE.CONNECTING || refusal) return write(data, sendOptions?.queued === true);
      if (waiting.length >= MAX_WAITING_FOR_OPEN) {
        return Promise.reject(new TransportError(`More than ${MAX_WAITING_FOR_OPEN} messages are waiting for the WebSocket to open`));
      }
      return new Promise<void>((resolve, reject) => waiting.push({ data, resolve, reject }));
    },
    close(reason) {
      return closeWith(NormalClosure, reason ?? '');
    },
    closeWith,
    abort(reason) {
      ourReason ??= reason;
      refusal ??= reason;
      drop();
    },
  };
}
