import { TransportError, type Transport } from '@tidings/protocol';
import type { SocketTransport } from './socketTransportTypes.js';

/**
 * The client Transport around one socket transport, shared by both client
 * entries: `open` makes the socket when the client starts the transport (it
 * may throw for a bad URL); `start` resolves once the socket is open and
 * rejects with a TransportError naming the URL when it closes first.
 */
export function socketClientTransport(url: string | URL, open: () => SocketTransport): Transport {
  let inner: SocketTransport | undefined;
  let closedBeforeStart = false;

  return {
    kind: 'websocket',
    async start(sink) {
      if (inner) throw new TransportError('The WebSocket transport was already started');
      if (closedBeforeStart) throw new TransportError('The WebSocket transport was closed before it started');
      let transport: SocketTransport;
      try {
        transport = open();
      } catch (error) {
        throw new TransportError(`Cannot open a WebSocket to ${String(url)}: ${(error as Error).message}`, { cause: error });
      }
      inner = transport;
      transport.start(sink);
      try {
        await transport.opened;
      } catch (error) {
        throw new TransportError(`Could not open a WebSocket to ${String(url)}: ${(error as Error).message}`, { cause: error });
      }
    },
    send(data, sendOptions) {
      return inner ? inner.send(data, sendOptions) : Promise.reject(new TransportError('The WebSocket transport is not started'));
    },
    close(reason) {
      if (!inner) {
        closedBeforeStart = true;
        return Promise.resolve();
      }
      return inner.close(reason);
    },
  };
}
