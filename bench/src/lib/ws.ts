import { createRequire } from 'node:module';
import { repoRoot } from './paths.js';

/** The parts of a `ws` socket the raw baselines use. */
export interface RawSocket {
  readonly bufferedAmount: number;
  readonly readyState: number;
  send(data: string, callback?: (error?: Error) => void): void;
  close(code?: number): void;
  terminate(): void;
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): this;
  on(event: 'open' | 'close', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  once(event: 'open' | 'close', listener: () => void): this;
  once(event: 'error', listener: (error: Error) => void): this;
}

/** The parts of a `ws` server the raw baseline uses. */
export interface RawSocketServer {
  address(): { port: number } | string;
  on(event: 'connection', listener: (socket: RawSocket) => void): this;
  once(event: 'listening', listener: () => void): this;
  close(callback?: () => void): void;
  readonly clients: Set<RawSocket>;
}

interface WsModule {
  WebSocket: new (url: string, options?: Record<string, unknown>) => RawSocket;
  WebSocketServer: new (options: Record<string, unknown>) => RawSocketServer;
}

// `ws` is a dependency of @tidings/websocket, not of the bench: borrow that package's copy (same version Tidings runs on).
const requireFromWebsocket = createRequire(`${repoRoot}packages/websocket/package.json`);

/** The `ws` module @tidings/websocket uses. */
export const ws = requireFromWebsocket('ws') as WsModule;
