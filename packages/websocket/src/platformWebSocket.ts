import { TransportError } from '@tidings/protocol';

/** The `close` event of a platform WebSocket, as far as the transport reads it. */
export interface PlatformCloseEvent {
  /** The close code (1006 when no close frame was exchanged). */
  readonly code: number;
  /** The close reason text, possibly empty. */
  readonly reason: string;
}

/**
 * The part of the WHATWG `WebSocket` (browsers, Deno, Bun, Node ≥ 22; the
 * `ws` package's class has it too) that the client entry uses. Declared here
 * so the package type-checks without the DOM library.
 */
export interface PlatformWebSocket {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Bytes handed to `send` and not yet written to the network. */
  readonly bufferedAmount: number;
  /** How binary frames are delivered; the transport sets `'arraybuffer'` (it only needs to tell them from text). */
  binaryType: string;
  /** Queues one text frame. */
  send(data: string): void;
  /** Starts the closing handshake; a browser accepts only 1000 and 3000–4999. */
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  addEventListener(type: 'error', listener: (event: unknown) => void): void;
  addEventListener(type: 'close', listener: (event: PlatformCloseEvent) => void): void;
  removeEventListener(type: 'open', listener: () => void): void;
  removeEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  removeEventListener(type: 'error', listener: (event: unknown) => void): void;
  removeEventListener(type: 'close', listener: (event: PlatformCloseEvent) => void): void;
}

/** A `WebSocket` constructor of the WHATWG shape: `new WebSocket(url, protocols)`. */
export type PlatformWebSocketConstructor = new (url: string, protocols?: string | string[]) => PlatformWebSocket;

/** `WebSocket.readyState` values (WHATWG WebSockets §3). */
export const READY_STATE = { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 } as const;

/**
 * The constructor the client entry uses: the one passed in, else
 * `globalThis.WebSocket`. Called once per transport, when it is created;
 * throws a TransportError that says what to do when the runtime has none
 * (Node 20).
 */
export function platformWebSocket(given: PlatformWebSocketConstructor | undefined): PlatformWebSocketConstructor {
  const found = given ?? (globalThis as { WebSocket?: PlatformWebSocketConstructor }).WebSocket;
  if (typeof found !== 'function') {
    throw new TransportError(
      'This runtime has no global WebSocket (Node before 22): import createWebSocketClientTransport from "@tidings/websocket" ' +
        '(which uses the ws package) or pass a WebSocket class as the `WebSocket` option',
    );
  }
  return found;
}
