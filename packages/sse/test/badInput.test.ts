import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoServer } from './helpers/demoServer.js';
import { closeAll, connectSse, startSse } from './helpers/harness.js';
import { openRawStream } from './helpers/rawStream.js';

afterEach(closeAll);

const post = (url: URL | string, body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
  fetch(url, { method: 'POST', headers, body });

describe('bad input to the POST endpoint', () => {
  it('answers each with a clear 4xx and a JSON-RPC error body, and the session keeps working', async () => {
    const { url } = await startSse(createDemoServer(), { maxBodyBytes: 64 * 1024 });
    const { client, transport } = await connectSse(url, { era: 'legacy' });
    const endpoint = transport.endpoint!;

    const notJson = await post(endpoint, '{"jsonrpc":"2.0","id":1,');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });

    const notRpc = await post(endpoint, '{"hello":"world"}');
    expect(notRpc.status).toBe(400);
    expect(await notRpc.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600 } });

    const badMethod = await post(endpoint, '{"jsonrpc":"2.0","id":41,"method":7}');
    expect(badMethod.status).toBe(400);
    expect(await badMethod.json()).toMatchObject({ id: 41, error: { code: -32600, message: expect.stringContaining('"method"') } });

    const batch = await post(endpoint, '[{"jsonrpc":"2.0","id":1,"method":"ping"}]');
    expect(batch.status).toBe(400);
    expect(await batch.json()).toMatchObject({ error: { code: -32600, message: expect.stringContaining('batch') } });

    const oversize = await post(endpoint, JSON.stringify({ jsonrpc: '2.0', method: 'x', params: { pad: 'x'.repeat(100_000) } }));
    expect(oversize.status).toBe(413);
    expect(await oversize.json()).toMatchObject({ id: null, error: { code: -32600, message: expect.stringContaining('65536') } });

    const wrongType = await post(endpoint, '{"jsonrpc":"2.0","method":"x"}', { 'Content-Type': 'text/plain' });
    expect(wrongType.status).toBe(415);
    expect(await wrongType.json()).toMatchObject({ error: { code: -32600 } });

    const unknown = new URL(endpoint);
    unknown.searchParams.set('sessionId', 'not-a-session');
    const lost = await post(unknown, '{"jsonrpc":"2.0","id":1,"method":"ping"}');
    expect(lost.status).toBe(404);
    expect(await lost.json()).toMatchObject({ id: null, error: { code: -32600, message: expect.stringContaining('Session not found') } });

    const missing = await post(new URL('/messages', endpoint), '{"jsonrpc":"2.0","id":1,"method":"ping"}');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: { message: expect.stringContaining('sessionId') } });

    // The same session still serves calls.
    const result = await client.callTool('long_running_task', { task_name: 'after', steps: 1 });
    expect(result.content).toEqual([{ type: 'text', text: "Task 'after' completed" }]);
  });

  it('refuses a body that grows past the limit without a Content-Length (chunked) with 413', async () => {
    const { url } = await startSse(createDemoServer(), { maxBodyBytes: 1024 });
    const stream = await openRawStream(url);
    await stream.initialize();
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(stream.endpoint, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (part: string) => (text += part));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      // No Content-Length: Node sends these as chunks, so only counting can catch the size.
      req.write(`{"jsonrpc":"2.0","method":"x","params":{"pad":"`);
      for (let i = 0; i < 8; i++) req.write('y'.repeat(512));
      req.end('"}}');
    });
    expect(status).toBe(413);
    expect(JSON.parse(body)).toMatchObject({ error: { code: -32600 } });
    expect((await stream.post({ jsonrpc: '2.0', id: 'after', method: 'ping' })).status).toBe(202);
    expect(await stream.answer('after')).toEqual({ jsonrpc: '2.0', id: 'after', result: {} });
  });

  it('accepts exactly the default 4 MiB limit and refuses one byte more', async () => {
    const { url } = await startSse(createDemoServer());
    const stream = await openRawStream(url);
    await stream.initialize();
    const frame = (size: number): string => {
      const head = '{"jsonrpc":"2.0","id":"big","method":"ping","params":{"pad":"';
      const tail = '"}}';
      return head + 'z'.repeat(size - head.length - tail.length) + tail;
    };
    const limit = 4 * 1024 * 1024;
    const over = await stream.post(frame(limit + 1));
    expect(over.status).toBe(413);
    const at = await stream.post(frame(limit));
    expect(at.status).toBe(202);
    expect(await stream.answer('big')).toMatchObject({ id: 'big', result: {} });
  });
});
