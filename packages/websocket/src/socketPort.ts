/** What a socket's error event says, as far as the transport reads it. */
export interface SocketErrorDetail {
  /** The error's text; a browser gives none. */
  readonly message?: string;
  /** The error object, when the socket gives one. */
  readonly cause?: unknown;
  /** The close code the socket itself sent for a framing error it detected (`ws`). */
  readonly closeCode?: number;
}

/** The socket events the transport handles; a port calls them. */
export interface SocketEvents {
  onOpen(): void;
  onText(text: string): void;
  /** A binary frame arrived (MCP carries text frames only). */
  onBinary(): void;
  /** Always followed by `onClose`: it only explains it. */
  onError(error: SocketErrorDetail): void;
  onClose(code: number, reason: string): void;
}

/**
 * The small part of a socket that the one socket transport needs, so it is
 * written once for every socket: `ws` on Node (`node/wsSocketPort.ts`) and
 * the platform WebSocket (`platformSocketPort.ts`) each fit it in a few
 * lines. Ready states are the WHATWG numbers, which `ws` shares.
 */
export interface SocketPort {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Bytes handed to `send` and not yet written to the network. */
  readonly bufferedAmount: number;
  /** Whether `send` reports each frame once written (`ws`); the platform WebSocket never says. */
  readonly reportsWrites: boolean;
  /** Queues one text frame; with `reportsWrites`, `written` is called once it is written or failed. May throw. */
  send(data: string, written: (error?: Error) => void): void;
  /** Starts the closing handshake; throws for a code the socket will not send. */
  close(code: number, reason: string): void;
  /** Drops the connection at once (its close event follows); absent where the socket cannot (the platform WebSocket). */
  terminate?(): void;
  /** Hands the socket's events to `events`; returns what stops that. */
  listen(events: SocketEvents): () => void;
}
