import { describe, expect, it, vi } from 'vitest';
import { failedPostResponse, jsonRpcErrorBody } from '../../src/http/httpErrors.js';
import { checkLegacyVersionHeader } from '../../src/http/legacyVersionHeader.js';
import { HTTP_STATUS_BY_CODE, ProtocolError } from '../../src/errors.js';
import { createServer } from '../../src/server/createServer.js';
import type { SendOptions, Transport, TransportSink } from '../../src/transport.js';

/** A transport that records what the engine hands it, and how. */
function recordingTransport(): Transport & { sent: Array<{ data: string; options: SendOptions | undefined }>; deliver(message: unknown): void } {
  let sink: TransportSink | undefined;
  const sent: Array<{ data: string; options: SendOptions | undefined }> = [];
  return {
    sent,
    deliver: (message) => sink?.message(message),
    start: (s) => void (sink = s),
    send: (data, options) => (sent.push({ data, options }), Promise.resolve()),
    close: () => Promise.resolve(),
  };
}

describe('HTTP statuses of modern responses', () => {
  it('the engine names an error response\'s code in SendOptions, so a transport needs no parse for the status', async () => {
    const server = createServer({ name: 'status', version: '1' });
    server.tool({ name: 'ok' }, () => 'fine');
    const transport = recordingTransport();
    server.connect(transport, { statelessLegacy: { protocolVersion: '2025-11-25' } });
    transport.deliver({ jsonrpc: '2.0', id: 1, method: 'no/such/method' });
    transport.deliver({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'ok', arguments: {} } });
    await vi.waitFor(() => expect(transport.sent).toHaveLength(2));
    const byId = new Map(transport.sent.map((s) => [JSON.parse(s.data).id as number, s.options]));
    expect(byId.get(1)).toMatchObject({ responseTo: 1, error: 'MethodNotFound' });
    expect(byId.get(2)).toMatchObject({ responseTo: 2 });
    expect(byId.get(2)?.error).toBeUndefined();
  });

  it.each([
    ['MethodNotFound', 404],
    ['InvalidParams', 400],
    ['HeaderMismatch', 400],
    ['MissingRequiredClientCapability', 400],
    ['UnsupportedProtocolVersion', 400],
    ['InternalError', 500],
  ] as const)('%s → %i', (code, status) => {
    expect(HTTP_STATUS_BY_CODE[code]).toBe(status);
  });

  it('writes the JSON-RPC error body with the given id', () => {
    expect(JSON.parse(jsonRpcErrorBody(null, new ProtocolError('InvalidRequest', 'no')))).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'no' } });
  });
});

describe('failedPostResponse (what the client engine sees for a non-2xx POST)', () => {
  it('makes up a non-modern error for a legacy SDK refusal, so the era probe falls back to initialize', () => {
    const sdkV1 = { jsonrpc: '2.0', error: { code: -32000, message: 'Bad Request: Server not initialized' }, id: null };
    expect(failedPostResponse(400, sdkV1, 0)).toMatchObject({ id: 0, error: { code: -32600, message: 'HTTP 400: Bad Request: Server not initialized' } });
    expect(failedPostResponse(404, undefined, 0)).toMatchObject({ id: 0, error: { code: -32600, data: { status: 404 } } });
    expect(failedPostResponse(502, 'gateway', 3)).toMatchObject({ id: 3, error: { code: -32603 } });
  });

  it('passes a recognised modern error or the server\'s own answer to this id', () => {
    const unsupported = { jsonrpc: '2.0', id: 0, error: { code: -32022, message: 'Unsupported', data: { supported: ['2026-07-28'] } } };
    expect(failedPostResponse(400, unsupported, 0)).toEqual(unsupported);
    expect(failedPostResponse(400, { ...unsupported, id: null }, 0)).toEqual(unsupported);
    const own = { jsonrpc: '2.0', id: 5, error: { code: -32602, message: 'Invalid params' } };
    expect(failedPostResponse(400, own, 5)).toEqual(own);
    expect(failedPostResponse(404, { jsonrpc: '2.0', id: 5, error: { code: -32601, message: 'nope' } }, 5).error.code).toBe(-32601);
  });

  it('never passes codes the engine reads as local conditions', () => {
    expect(failedPostResponse(400, { jsonrpc: '2.0', id: 5, error: { code: -32000, message: 'closed?' } }, 5).error.code).toBe(-32600);
    expect(failedPostResponse(400, { jsonrpc: '2.0', id: 5, error: { code: -32001, message: 'timeout?' } }, 5).error.code).toBe(-32600);
  });
});

describe('checkLegacyVersionHeader', () => {
  it('accepts no header and legacy revisions; refuses the rest with −32022', () => {
    expect(checkLegacyVersionHeader(undefined)).toBeUndefined();
    expect(checkLegacyVersionHeader('2025-03-26')).toBeUndefined();
    expect(checkLegacyVersionHeader('1999-01-01')?.rpcCode).toBe(-32022);
    expect(checkLegacyVersionHeader('2026-07-28')?.code).toBe('UnsupportedProtocolVersion');
  });
});
