import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler, type HttpCore } from '@tidings/http';
import { eventReader, noEvent, type CoreResponse, type Wire } from './callCore.js';

/** Serves `core` through the Node binding on 127.0.0.1, port 0; a wire that sends exactly the headers given. */
export async function nodeWire(core: HttpCore): Promise<{ wire: Wire; port: number; close(): Promise<void> }> {
  const handler = toNodeHandler(core);
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const wire: Wire = (call) =>
    new Promise<CoreResponse>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: call.url ?? '/mcp', method: call.method ?? 'POST', headers: call.headers }, (res) => {
        const head = { status: res.statusCode ?? 0, headers: res.headers };
        if (call.keepOpen) {
          res.setEncoding('utf8');
          const iterator = res[Symbol.asyncIterator]();
          const nextEvent = eventReader(async () => {
            const chunk = await iterator.next();
            return chunk.done ? undefined : (chunk.value as string);
          });
          return resolve({ ...head, text: '', json: undefined, close: () => res.destroy(), nextEvent });
        }
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let json: unknown;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ ...head, text, json, close: () => {}, nextEvent: noEvent });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (call.body !== undefined) req.write(call.body);
      req.end();
    });
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
