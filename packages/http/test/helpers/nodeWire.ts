import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler, type HttpCore } from '@tidings/http';
import { rawRequest } from '../../../streamable-http/test/helpers/raw.js';
import { eventReader, noEvent, type Wire } from './callCore.js';

/** Serves `core` through the Node binding on 127.0.0.1, port 0; a wire that sends exactly the headers given. */
export async function nodeWire(core: HttpCore): Promise<{ wire: Wire; port: number; close(): Promise<void> }> {
  const handler = toNodeHandler(core);
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const wire: Wire = async (call) => {
    const url = `http://127.0.0.1:${port}${call.url ?? '/mcp'}`;
    const method = call.method ?? 'POST';
    if (!call.keepOpen) return { ...(await rawRequest(url, { method, headers: call.headers, body: call.body })), close: () => {}, nextEvent: noEvent };
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(url, { method, headers: call.headers }, resolve);
      req.on('error', reject);
      req.end(call.body);
    });
    res.setEncoding('utf8');
    const chunks = res[Symbol.asyncIterator]();
    const nextEvent = eventReader(async () => {
      const chunk = await chunks.next();
      return chunk.done ? undefined : (chunk.value as string);
    });
    return { status: res.statusCode ?? 0, headers: res.headers, text: '', json: undefined, close: () => res.destroy(), nextEvent };
  };
  return {
    wire,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
