import { createServer, type Server } from '../../src/server/createServer.js';
import type { ServerOptions } from '../../src/server/types.js';
import { registerLongRunningTask } from '../../../../test-support/longRunningTask.js';

/**
 * The server of the FastMCP-based client documentation (seed 001), plus one
 * resource, one prompt and a watched resource, so every list kind exists.
 */
export function createDemoServer(options: ServerOptions = {}): Server {
  const server = createServer({ name: 'PrimitiveServer', version: '1.0.0' }, options);
  registerLongRunningTask(server);
  server.resource({ uri: 'test://watched', name: 'watched' }, () => 'watched content');
  server.prompt({ name: 'greeting', description: 'Say hello' }, () => 'Hello!');
  return server;
}
