import { createClient, createMemoryTransportPair, type Client, type ClientOptions, type Server } from '@tidings/protocol';
import { createReferenceServer } from '../../src/reference/createReferenceServer.js';

/** A reference server and the clients connected to it over memory pairs; `close` releases all of them. */
export interface ReferenceFixture {
  /** The reference server under test. */
  readonly server: Server;
  /** Connects a new client over a memory pair; resolves once it negotiated its era. */
  connect(options?: ClientOptions): Promise<Client>;
  /** Closes every client connected so far, then the server. */
  close(): Promise<void>;
}

/** Creates a reference server with a short list_changed window, for tests. */
export function referenceFixture(): ReferenceFixture {
  const server = createReferenceServer({ server: { listChangedDebounceMs: 1 } });
  const clients: Client[] = [];
  return {
    server,
    async connect(options = {}) {
      const [clientSide, serverSide] = createMemoryTransportPair();
      server.connect(serverSide);
      const client = createClient({ name: 'reference-test', version: '1.0.0' }, options);
      clients.push(client);
      await client.connect(clientSide);
      return client;
    },
    async close() {
      await Promise.all(clients.splice(0).map((c) => c.close()));
      await server.close();
    },
  };
}

export { waitFor } from '../../../test-support/waitFor.js';

/** The text of a tool result's first content block (fails the test when it is not text). */
export function textOf(result: { content: readonly { type: string }[] }): string {
  const first = result.content[0] as { type: string; text?: string } | undefined;
  if (first?.type !== 'text' || typeof first.text !== 'string') throw new Error(`expected text content, got ${JSON.stringify(result.content)}`);
  return first.text;
}

/** Both eras, for `describe.each`. */
export const ERAS = ['legacy', 'modern'] as const;
