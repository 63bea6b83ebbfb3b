import { createClient, type Client, type ClientOptions, type Server } from '@tidings/protocol';
import { createSseClientTransport, createSseServer, type SseClientTransport, type SseServer, type SseServerOptions } from '../../src/index.js';

/** Everything a test opened, closed by {@link closeAll} in `afterEach`. */
const opened: Array<() => Promise<unknown>> = [];

/** Registers something to close after the test, last opened first. */
export function track(close: () => Promise<unknown>): void {
  opened.push(close);
}

export async function closeAll(): Promise<void> {
  for (const close of opened.splice(0).reverse()) await close().catch(() => {});
}

/** Serves `server` over HTTP+SSE on 127.0.0.1, port 0. */
export async function startSse(server: Server, options: Omit<SseServerOptions, 'server'> = {}): Promise<SseServer> {
  const sse = await createSseServer({ server, ...options });
  track(() => server.close());
  track(() => sse.close());
  return sse;
}

/** A Tidings client connected over HTTP+SSE, with its transport. */
export async function connectSse(
  url: string,
  options: ClientOptions = {},
): Promise<{ client: Client; transport: SseClientTransport }> {
  const transport = createSseClientTransport(url);
  const client = createClient({ name: 'test-client', version: '1.0.0' }, options);
  track(() => client.close());
  await client.connect(transport);
  return { client, transport };
}

export { waitFor } from '../../../../test-support/waitFor.js';

export const ERAS = ['legacy', 'auto'] as const;
