import { nextTurn, TransportError, type TransportSink } from '@tidings/protocol';
import { WEBSOCKET_CLOSE_CODES } from './closeCodes.js';
import { fitCloseReason } from './fitCloseReason.js';
import { READY_STATE, type PlatformCloseEvent, type PlatformWebSocket } from './platformWebSocket.js';
import type { SocketTransport, SocketTransportOptions } from './socketTransportTypes.js';
import { WebSocketClosedError } from './webSocketClosedError.js';
import { socketLifecycle } from './socketLifecycle.js';

/** Options of {@link createPlatformSocketTransport}. */
export interface PlatformSocketTransportOptions extends SocketTransportOptions {
  /** How long the socket may stay connecting before it is closed and `opened` rejects. */
  readonly handshakeTimeoutMs: number;
}

const QUEUED = Promise.resolve();
/** Messages that may wait for the socket to open. */
const MAX_WAITING_FOR_OPEN = 1024;
/** RFC 6455 §7.4.1: the peer closed without giving a code (not sent on the wire). */
const NO_STATUS_RECEIVED = 1005;

/**
 * Wraps a connecting platform WebSocket (WHATWG API) as a Transport: one
 * JSON-RPC message per text frame (PROTOCOL.md §websocket). Made by the
 * client entry, which starts it in the same turn, before any event can fire.
 *
 * The platform API has no write callback and no `terminate`: a send resolves
 * once the frame is handed to the socket (after one event-loop turn while
 * bytes wait), the slow-consumer bound reads `bufferedAmount`, and a close
 * the peer does not answer within the close timeout is taken as done.
 */
export function createPlatformSocketTransport(socket: PlatformWebSocket, options: PlatformSocketTransportOptions): SocketTransport {
  let sink: TransportSink | undefined;
  let waiting: Array<{ data: string; resolve: () => void; reject: (error: TransportError) => void }> = [];
  /** Why sends are refused from now on; set when we start closing. */
  let refusal: TransportError | undefined;
  /** Our own explanation of the close, preferred over what the close event says. */
  let ourReason: TransportError | undefined;
  /** Whether an error event came; `socketError` is its message, when the platform gives one (a browser does not). */
  let errored = false;
  let socketError: string | undefined;
  let closeEvent: PlatformCloseEvent | undefined;
  let wasOpen = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /**
   * Frames sent since `bufferedAmount` was last seen at 0: an upper bound of
   * the frames still waiting, since the platform never says when one is written.
   */
  let unsent = 0;

  const { opened, markOpened, failOpen, done, markDone, fault } = socketLifecycle(options.onFault);

  const closeReason = (): Error | undefined => {
    if (ourReason) return ourReason;
    const { code, reason } = closeEvent ?? { code: WEBSOCKET_CLOSE_CODES.AbnormalClosure, reason: '' };
    if (!wasOpen) {
      // A browser does not say why an opening handshake failed (refused upgrade, no listener, TLS): only that it did.
      const detail = socketError ?? `closed with code ${code}; the server may be down or have refused the upgrade`;
      return new TransportError(`The WebSocket did not open: ${detail}`);
    }
    if (!errored && (code === WEBSOCKET_CLOSE_CODES.NormalClosure || code === NO_STATUS_RECEIVED)) return undefined;
    const message = `WebSocket closed with code ${code}${reason ? `: ${reason}` : ''}${socketError ? ` (${socketError})` : ''}`;
    return new WebSocketClosedError(code, reason, message);
  };

  const write = (data: string): Promise<void> => {
    if (refusal) return Promise.reject(refusal);
    if (socket.readyState !== READY_STATE.OPEN) return Promise.reject(new TransportError('The WebSocket is not open'));
    const buffered = socket.bufferedAmount;
    if (buffered === 0) unsent = 0;
    // Slow-consumer policy (PROTOCOL.md §slow-consumers): checked before the write, so the
    // buffer never holds more than the limit plus one message.
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
    try {
      socket.send(data);
    } catch (error) {
      return Promise.reject(new TransportError(`Could not write to the WebSocket: ${(error as Error).message}`, { cause: error }));
    }
    unsent++;
    // A peer that is behind costs the sender one event-loop turn, so other work (and the socket) gets to run.
    return socket.bufferedAmount > 0 ? nextTurn() : QUEUED;
  };

  const closeWith = (code: number, reason: string): Promise<void> => {
    refusal ??= new TransportError('The WebSocket is closing');
    if (closeEvent) return done;
    if (socket.readyState === READY_STATE.CONNECTING) ourReason ??= new TransportError('The WebSocket was closed before it opened');
    const fitted = fitCloseReason(reason);
    try {
      socket.close(code, fitted);
    } catch {
      // A browser sends only 1000 and 3000–4999 (WHATWG WebSockets §3, close()); our own reason keeps the real code.
      try {
        socket.close(WEBSOCKET_CLOSE_CODES.NormalClosure, fitted);
      } catch (error) {
        fault(new TransportError('Could not close the WebSocket cleanly', { cause: error }));
        finish({ code: WEBSOCKET_CLOSE_CODES.AbnormalClosure, reason: '' });
        return done;
      }
    }
    clearTimeout(timer);
    // There is no way to drop a platform socket: past the close timeout it is left to the platform and taken as closed.
    timer = setTimeout(() => finish({ code: WEBSOCKET_CLOSE_CODES.AbnormalClosure, reason: '' }), options.closeTimeoutMs);
    return done;
  };

  const onOpen = (): void => {
    wasOpen = true;
    clearTimeout(timer);
    timer = undefined;
    markOpened();
    const queued = waiting;
    waiting = [];
    // Flushed synchronously, in order, before any later send can overtake them.
    for (const item of queued) write(item.data).then(item.resolve, item.reject);
  };

  const onMessage = (event: { readonly data: unknown }): void => {
    if (refusal) return;
    if (typeof event.data !== 'string') {
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
    sink?.message(event.data);
  };

  const onError = (event: unknown): void => {
    // The platform always follows an error with `close`; the error only explains it (a browser's says nothing).
    if (errored || closeEvent) return;
    errored = true;
    const message = (event as { message?: unknown } | undefined)?.message;
    if (typeof message === 'string' && message !== '') socketError = message;
    fault(new TransportError(`WebSocket error${socketError ? `: ${socketError}` : ''}`));
  };

  const onClose = (event: PlatformCloseEvent): void => finish({ code: event.code, reason: event.reason });

  function finish(event: PlatformCloseEvent): void {
    if (closeEvent) return;
    closeEvent = event;
    clearTimeout(timer);
    timer = undefined;
    refusal ??= new TransportError('The WebSocket is closed');
    socket.removeEventListener('open', onOpen);
    socket.removeEventListener('message', onMessage);
    socket.removeEventListener('error', onError);
    socket.removeEventListener('close', onClose);
    const why = closeReason();
    const failure = why instanceof TransportError ? why : new TransportError('The WebSocket closed before it opened');
    failOpen(failure);
    const queued = waiting;
    waiting = [];
    for (const item of queued) item.reject(failure);
    markDone();
    sink?.closed(why);
  }

  socket.binaryType = 'arraybuffer';
  socket.addEventListener('open', onOpen);
  socket.addEventListener('message', onMessage);
  socket.addEventListener('error', onError);
  socket.addEventListener('close', onClose);
  timer = setTimeout(() => {
    if (wasOpen || closeEvent) return;
    ourReason ??= new TransportError(`The WebSocket did not open within ${options.handshakeTimeoutMs} ms`);
    void closeWith(WEBSOCKET_CLOSE_CODES.NormalClosure, '');
  }, options.handshakeTimeoutMs);

  return {
    kind: 'websocket',
    opened,
    done,
    start(next) {
      if (sink) throw new TransportError('The WebSocket transport was already started');
      sink = next;
      if (closeEvent) next.closed(closeReason());
    },
    send(data) {
      if (socket.readyState !== READY_STATE.CONNECTING || refusal) return write(data);
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
      if (closeEvent) return;
      try {
        socket.close(WEBSOCKET_CLOSE_CODES.NormalClosure);
      } catch {
        // Already closing: the platform finishes on its own.
      }
      finish({ code: WEBSOCKET_CLOSE_CODES.AbnormalClosure, reason: '' });
    },
  };
}
