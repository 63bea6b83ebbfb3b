import { createSseCore } from '@tidings/http';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoServer } from '../../sse/test/helpers/demoServer.js';
import { pureWire, type CoreResponse, type Wire } from './helpers/callCore.js';
import { nodeWire } from './helpers/nodeWire.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Each test runs on the pure handler (no socket) and through the Node binding. */
const WIRES = {
  'the pure handler': async (core: ReturnType<typeof createSseCore>) => ({ wire: pureWire(core), close: async () => {} }),
  'the Node binding': nodeWire,
} as const;

function expectError(response: CoreResponse, status: number, code: number, id: unknown = null): void {
  expect({ status: response.status, type: response.headers['content-type'] }).toEqual({ status, type: 'application/json' });
  expect(response.json).toMatchObject({ jsonrpc: '2.0', id, error: { code, message: expect.any(String) } });
}

const json = { 'content-type': 'application/json' };

for (const [wireName, open] of Object.entries(WIRES)) {
  describe(`HTTP+SSE status codes through ${wireName}`, () => {
    async function serve(): Promise<{ call: Wire; endpoint: string; stream: CoreResponse; core: ReturnType<typeof createSseCore> }> {
      const server = createDemoServer();
      const core = createSseCore({ server, maxBodyBytes: 1024 });
      const opened = await open(core);
      cleanups.push(async () => {
        await opened.close();
        await core.close();
        await server.close();
      });
      const call = opened.wire;
      // The endpoint event is written first: read just the head and the first event of the stream.
      const stream = await call({ method: 'GET', url: '/sse', headers: { accept: 'text/event-stream' }, keepOpen: true });
      cleanups.push(async () => stream.close());
      const first = await stream.nextEvent();
      const endpoint = /^event: endpoint\ndata: (\/messages\?sessionId=[\w-]+)$/.exec(first)?.[1];
      expect(endpoint, `the first event names the POST endpoint: ${first}`).toBeDefined();
      return { call, endpoint: endpoint!, stream, core };
    }

    it('GET opens an event stream; POSTs to its session are taken (202), refusals carry a JSON-RPC body', async () => {
      const { call, endpoint, stream } = await serve();
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toBe('text/event-stream');
      const ping = await call({ url: endpoint, headers: json, body: '{"jsonrpc":"2.0","id":1,"method":"ping"}' });
      expect({ status: ping.status, text: ping.text }).toEqual({ status: 202, text: 'Accepted' });
      // The answer travels on the stream, as a message event with the first id.
      expect(await stream.nextEvent()).toBe('event: message\nid: 1\ndata: {"jsonrpc":"2.0","id":1,"result":{}}');
      expectError(await call({ url: '/messages', headers: json, body: '{}' }), 400, -32600);
      expectError(await call({ url: '/messages?sessionId=nope', headers: json, body: '{}' }), 404, -32600);
      expectError(await call({ url: endpoint, headers: { 'content-type': 'text/plain' }, body: '{}' }), 415, -32600);
      expectError(await call({ url: endpoint, headers: json, body: JSON.stringify({ pad: 'x'.repeat(2048) }) }), 413, -32600);
      expectError(await call({ url: endpoint, headers: json, body: '{"jsonrpc":' }), 400, -32700);
      expectError(await call({ url: endpoint, headers: json, body: '{"jsonrpc":"2.0","id":41,"method":7}' }), 400, -32600, 41);
      expectError(await call({ url: endpoint, headers: json, body: '[{"jsonrpc":"2.0","id":1,"method":"ping"}]' }), 400, -32600);
    });

    it('404 off its paths, 405 with Allow for the wrong method, 403 for a foreign Origin, 503 once closed', async () => {
      const { call, core } = await serve();
      expectError(await call({ method: 'GET', url: '/elsewhere' }), 404, -32600);
      const wrong = await call({ method: 'POST', url: '/sse', headers: json, body: '{}' });
      expectError(wrong, 405, -32600);
      expect(wrong.headers.allow).toBe('GET');
      expectError(await call({ method: 'GET', url: '/sse', headers: { origin: 'http://evil.example.com' } }), 403, -32600);
      await core.close();
      expectError(await call({ method: 'GET', url: '/sse' }), 503, -32603);
    });
  });
}
