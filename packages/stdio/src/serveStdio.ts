import type { Server } from '@tidings/protocol';
import { createStdioServerTransport, type StdioServerTransportOptions } from './createStdioServerTransport.js';

/**
 * Serves `server` on this process's stdin and stdout: the one-line `main` of
 * a stdio MCP server. Resolves when stdin ends, the client's shutdown signal
 * (stdio.mdx §shutdown); the connection is closed by then and the transport
 * holds nothing that keeps the process alive, so a server with no other work
 * exits. Never rejects.
 *
 * @example
 * ```ts
 * const server = createServer({ name: 'demo', version: '1.0.0' });
 * await serveStdio(server);
 * ```
 */
export async function serveStdio(server: Server, options?: StdioServerTransportOptions): Promise<void> {
  const transport = createStdioServerTransport(options);
  server.connect(transport);
  await transport.closed;
}
