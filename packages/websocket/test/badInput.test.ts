import type { TransportError } from '@tidings/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PAYLOAD, WEBSOCKET_CLOSE_CODES, WebSocketClosedError } from '../src/index.js';
import { createDemoServer } from './helpers/demoServer.js';
import { closeAll, serve, waitFor } from './helpers/harness.js';
import { initializeRaw, openRawClient } from './helpers/rawClient.js';

afterEach(closeAll);

describe('bad input over WebSocket', () => {
  it('answers a non-JSON frame, a JSON array and a wrong jsonrpc with clear errors and keeps the connection', async () => {
    const endpoint = await serve(createDemoServer());
    const raw = await openRawClient(endpoint.url);

    raw.sendText('this is not JSON');
    const parseError = await raw.waitForMessage((m) => m.error?.code === -32700);
    expect(parseError).toMatchObject({ jsonrpc: '2.0', id: null, error: { message: expect.stringMatching(/not valid JSON/) } });

    raw.sendText('[{"jsonrpc":"2.0","id":1,"method":"ping"}]');
    const batch = await raw.waitForMessage((m) => m.error?.code === -32600 && /batches/.test(m.error.message));
    expect(batch).toMatchObject({ jsonrpc: '2.0', id: null });

    raw.send({ jsonrpc: '1.0', id: 7, method: 'ping' });
    const wrongVersion = await raw.waitForMessage((m) => m.id === 7);
    expect(wrongVersion.error).toMatchObject({ code: -32600, message: expect.stringContaining('"jsonrpc" must be "2.0"') });

    const init = await initializeRaw(raw);
    expect(init.result).toMatchObject({ protocolVersion: '2025-11-25', serverInfo: { name: 'PrimitiveServer' } });
    raw.send({ jsonrpc: '2.0', id: 'call', method: 'tools/call', params: { name: 'long_running_task', arguments: { task_name: 'after', steps: 1 } } });
    const call = await raw.waitForMessage((m) => m.id === 'call');
    expect(call.result.content).toEqual([{ type: 'text', text: "Task 'after' completed" }]);
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);
  });

  it('closes a connection that sends a binary frame with 1003 and a reason', async () => {
    const faults: TransportError[] = [];
    const endpoint = await serve(createDemoServer(), { onError: (error) => faults.push(error) });
    const raw = await openRawClient(endpoint.url);
    raw.socket.send(Buffer.from('{"jsonrpc":"2.0","id":1,"method":"ping"}'), { binary: true });
    const closed = await raw.closed;
    expect(closed.code).toBe(WEBSOCKET_CLOSE_CODES.UnsupportedData);
    expect(closed.reason).toMatch(/binary frames are not supported/);
    expect(faults.some((f) => f instanceof WebSocketClosedError && f.code === 1003)).toBe(true);
    expect(raw.received).toEqual([]);
  });

  it('closes with 1009 when a frame exceeds the default 4 MiB maxPayload, and keeps serving others', async () => {
    const faults: TransportError[] = [];
    const endpoint = await serve(createDemoServer(), { onError: (error) => faults.push(error) });
    const raw = await openRawClient(endpoint.url);
    raw.sendText(`{"jsonrpc":"2.0","method":"x","params":{"pad":"${'x'.repeat(DEFAULT_MAX_PAYLOAD)}"}}`);
    expect((await raw.closed).code).toBe(WEBSOCKET_CLOSE_CODES.MessageTooBig);
    await waitFor(() => expect(endpoint.connectionCount).toBe(0));
    expect(faults.some((f) => /Max payload size exceeded/i.test(f.message))).toBe(true);

    const other = await openRawClient(endpoint.url);
    expect((await initializeRaw(other)).result).toBeDefined();
  });

  it('accepts a frame of exactly maxPayload bytes and closes with 1009 one byte over', async () => {
    const maxPayload = 64 * 1024;
    const endpoint = await serve(createDemoServer(), { maxPayload });
    const frame = (size: number): string => {
      const head = '{"jsonrpc":"2.0","id":"big","method":"ping","params":{"pad":"';
      const tail = '"}}';
      return head + 'x'.repeat(size - head.length - tail.length) + tail;
    };
    const raw = await openRawClient(endpoint.url);
    await initializeRaw(raw);
    raw.sendText(frame(maxPayload));
    expect(await raw.waitForMessage((m) => m.id === 'big')).toMatchObject({ result: {} });
    raw.sendText(frame(maxPayload + 1));
    expect((await raw.closed).code).toBe(WEBSOCKET_CLOSE_CODES.MessageTooBig);
  });
});
