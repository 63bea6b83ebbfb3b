import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, TransportError, type Server } from '@tidings/protocol';
import { createStdioServerTransport, serveStdio } from '../src/index.js';
import { waitFor } from './helpers/children.js';

/** In-memory stdin and stdout, with what is written to stdout parsed line by line. */
function streams() {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const received: Array<Record<string, any>> = [];
  let pending = '';
  stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) received.push(JSON.parse(line));
  });
  return { stdin, stdout, received };
}

/** A server transport over {@link streams}, collecting the faults it reports. */
function wire(options: { maxMessageBytes?: number } = {}) {
  const { stdin, stdout, received } = streams();
  const errors: TransportError[] = [];
  const transport = createStdioServerTransport({ stdin, stdout, onError: (e) => errors.push(e), ...options });
  return { stdin, stdout, errors, received, transport };
}

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'clïent ✓', version: '1' } },
});

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function newServer(): Server {
  const server = createServer({ name: 'in-process', version: '1.0.0' });
  servers.push(server);
  return server;
}

describe('createStdioServerTransport over in-memory streams', () => {
  it('serves a session of kind stdio, reading bytes split inside a multi-byte character', async () => {
    const server = newServer();
    const { stdin, received, transport } = wire();
    server.connect(transport);
    const bytes = Buffer.from(`${INITIALIZE}\r\n{"jsonrpc":"2.0","method":"notifications/initialized"}\n`, 'utf8');
    const cut = bytes.indexOf(Buffer.from('✓', 'utf8')) + 1;
    stdin.write(bytes.subarray(0, cut));
    stdin.write(bytes.subarray(cut));
    await waitFor(() => expect(server.sessions()).toHaveLength(1));
    expect(server.sessions()[0]).toMatchObject({ transport: 'stdio', clientInfo: { name: 'clïent ✓', version: '1' } });
    expect(received[0]).toMatchObject({ id: 1, result: { protocolVersion: '2025-11-25' } });
  });

  it('answers an oversized line itself with −32600 and id null, reports it, and reads on', async () => {
    const server = newServer();
    const { stdin, received, errors, transport } = wire({ maxMessageBytes: 256 });
    server.connect(transport);
    stdin.write(`{"jsonrpc":"2.0","id":9,"method":"ping","params":{"pad":"${'x'.repeat(1000)}"}}\n`);
    stdin.write(`${INITIALIZE}\n`);
    await waitFor(() => expect(received).toHaveLength(2));
    expect(received[0]).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: {
        code: -32600,
        message: 'Message too large: a line may hold at most 256 bytes; it was discarded',
        data: { maxMessageBytes: 256 },
      },
    });
    expect(received[1]).toMatchObject({ id: 1, result: {} });
    expect(errors.map((e) => e.message)).toEqual(['Discarded an inbound message longer than 256 bytes']);
  });

  it('closes when stdin ends: the session ends, `closed` resolves, stdin is paused and stdout left open', async () => {
    const server = newServer();
    const { stdin, stdout, transport } = wire();
    server.connect(transport);
    stdin.write(`${INITIALIZE}\n{"jsonrpc":"2.0","method":"notifications/initialized"}\n`);
    await waitFor(() => expect(server.sessions()).toHaveLength(1));
    stdin.end();
    await transport.closed;
    expect(server.sessions()).toEqual([]);
    expect(stdin.isPaused()).toBe(true);
    expect(stdin.listenerCount('data')).toBe(0);
    expect(stdout.writableEnded).toBe(false);
    await expect(transport.send('{}')).rejects.toBeInstanceOf(TransportError);
  });

  it('serveStdio resolves when stdin ends', async () => {
    const server = newServer();
    const { stdin, stdout, received } = streams();
    let done = false;
    const serving = serveStdio(server, { stdin, stdout }).then(() => (done = true));
    stdin.write(`${INITIALIZE}\n`);
    await waitFor(() => expect(received).toHaveLength(1));
    expect(done).toBe(false);
    stdin.end();
    await serving;
    expect(done).toBe(true);
  });
});
