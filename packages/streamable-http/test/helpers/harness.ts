import { fileURLToPath } from 'node:url';
import { createClient, type Client, type ClientOptions, type Server } from '@tidings/protocol';
import {
  createStreamableHttpClientTransport,
  createStreamableHttpServer,
  type StreamableHttpClientTransportOptions,
  type StreamableHttpServer,
  type StreamableHttpServerOptions,
} from '../../src/index.js';

/** Repository root, found from this file (never hard-coded). */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

const cleanups: Array<() => Promise<unknown> | unknown> = [];

/** Runs every registered cleanup, last first. Call from afterEach. */
export async function closeAll(): Promise<void> {
  const pending = cleanups.splice(0).reverse();
  for (const cleanup of pending) {
    try {
      await cleanup();
    } catch {
      // Best effort: a failed close must not hide the test's own result.
    }
  }
}

/** Registers something to release after the test. */
export function onCleanup(fn: () => Promise<unknown> | unknown): void {
  cleanups.push(fn);
}

/** Starts a Streamable HTTP server on 127.0.0.1, port 0. */
export async function startHttp(
  server: Server,
  options: Omit<StreamableHttpServerOptions, 'server' | 'port'> = {},
): Promise<StreamableHttpServer> {
  const http = await createStreamableHttpServer({ server, port: 0, ...options });
  onCleanup(async () => {
    await http.close();
    await server.close();
  });
  return http;
}

/** Connects a Tidings client over Streamable HTTP. */
export async function connectHttpClient(
  url: string,
  options: ClientOptions = {},
  transportOptions: StreamableHttpClientTransportOptions = {},
): Promise<Client> {
  const client = createClient({ name: 'http-test-client', version: '1.0.0' }, options);
  onCleanup(() => client.close());
  await client.connect(createStreamableHttpClientTransport(url, transportOptions));
  return client;
}

export { waitFor } from '../../../../test-support/waitFor.js';

export const ERAS = ['legacy', 'modern'] as const;
