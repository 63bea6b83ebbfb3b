import { WEBSOCKET_CLOSE_CODES } from './closeCodes.js';
import type { PlatformCloseEvent, PlatformWebSocket } from './platformWebSocket.js';
import type { SocketPort } from './socketPort.js';

/**
 * The platform WebSocket (WHATWG API) as a {@link SocketPort}. It has no
 * write callback and no `terminate`, so the transport bounds what waits by
 * `bufferedAmount` and takes a close the peer does not answer as done.
 */
export function platformSocketPort(socket: PlatformWebSocket): SocketPort {
  // Binary frames are refused either way; an ArrayBuffer is simply the cheapest to tell from text.
  socket.binaryType = 'arraybuffer';
  return {
    get readyState() {
      return socket.readyState;
    },
    get bufferedAmount() {
      return socket.bufferedAmount;
    },
    reportsWrites: false,
    send: (data) => socket.send(data),
    close(code, reason) {
      try {
        socket.close(code, reason);
      } catch {
        // A browser sends only 1000 and 3000–4999 (WHATWG WebSockets §3, close()); our own reason keeps the real code.
        socket.close(WEBSOCKET_CLOSE_CODES.NormalClosure, reason);
      }
    },
    listen(events) {
      const onOpen = (): void => events.onOpen();
      const onMessage = (event: { readonly data: unknown }): void => (typeof event.data === 'string' ? events.onText(event.data) : events.onBinary());
      const onError = (event: unknown): void => {
        const message = (event as { message?: unknown } | undefined)?.message;
        events.onError(typeof message === 'string' && message !== '' ? { message } : {});
      };
      const onClose = (event: PlatformCloseEvent): void => events.onClose(event.code, event.reason);
      socket.addEventListener('open', onOpen);
      socket.addEventListener('message', onMessage);
      socket.addEventListener('error', onError);
      socket.addEventListener('close', onClose);
      return () => {
        socket.removeEventListener('open', onOpen);
        socket.removeEventListener('message', onMessage);
        socket.removeEventListener('error', onError);
        socket.removeEventListener('close', onClose);
      };
    },
  };
}
