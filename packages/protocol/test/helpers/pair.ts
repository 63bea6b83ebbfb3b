import { createClient, type Client } from '../../src/client/createClient.js';
import type { ClientOptions } from '../../src/client/types.js';
import { createMemoryTransportPair } from '../../src/memoryTransport.js';
import type { Server } from '../../src/server/createServer.js';

/** Connects a new client to `server` over a memory pair; `closeAll` releases every pair made. */
export async function connectClient(server: Server, options: ClientOptions = {}): Promise<Client> {
  const [clientSide, serverSide] = createMemoryTransportPair();
  server.connect(serverSide);
  const client = createClient({ name: 'test-client', version: '1.0.0' }, options);
  await client.connect(clientSide);
  opened.push(client);
  return client;
}

const opened: Client[] = [];

export async function closeAll(): Promise<void> {
  await Promise.all(opened.splice(0).map((c) => c.close()));
}

export { waitFor } from '../../../../test-support/waitFor.js';

export const ERAS = ['legacy', 'modern'] as const;
