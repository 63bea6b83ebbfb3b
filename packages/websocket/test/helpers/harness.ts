import { createClient, type Client, type ClientOptions, type Server } from '@tidings/protocol';
import {
  createWebSocketClientTransport,
  createWebSocketServer,
  type WebSocketClientTransportOptions,
  type WebSocketServer,
  type WebSocketServerOptions,
} from '../../src/index.js';

/** Closers of everything the current test opened, run newest first by {@link closeAll}. */
const closers: Array<() => Promise<unknown> | unknown> = [];

/** Registers a cleanup for the end of the current test. */
export function onCleanup(close: () => Promise<unknown> | unknown): void {
  closers.push(close);
}

/** Closes, newest first, everything opened since the last call (use in afterEach). */
export async function closeAll(): Promise<void> {
  while (closers.length > 0) {
    const close = closers.pop()!;
    await Promise.resolve()
      .then(close)
      .catch(() => {});
  }
}

/** Serves `server` over WebSocket on 127.0.0.1, port 0, closed by {@link closeAll}. */
export async function serve(server: Server, options: Partial<WebSocketServerOptions> = {}): Promise<WebSocketServer> {
  const endpoint = await createWebSocketServer({ server, ...options });
  onCleanup(() => endpoint.close());
  return endpoint;
}

/** Connects a Tidings client over WebSocket, closed by {@link closeAll}. */
export async function connectClient(
  url: string,
  options: ClientOptions = {},
  transportOptions: WebSocketClientTransportOptions = {},
): Promise<Client> {
  const client = createClient({ name: 'test-client', version: '1.0.0' }, options);
  onCleanup(() => client.close());
  await client.connect(createWebSocketClientTransport(url, transportOptions));
  return client;
}

export { waitFor } from '../../../../test-support/waitFor.js';

export const ERAS = ['legacy', 'modern'] as const;
