import { describe, expect, it } from 'vitest';
import { failedPostResponse, httpStatusOfResponse, isErrorResponse, jsonRpcErrorBody } from '../../src/http/httpErrors.js';
import { checkLegacyVersionHeader } from '../../src/http/legacyVersionHeader.js';
import { ProtocolError } from '../../src/errors.js';

const error = (code: number, id: unknown = 1) => JSON.stringify({ jsonrpc: '2.0', id, error: { code, message: 'x' } });

describe('HTTP statuses of modern responses', () => {
  it.each([
    [JSON.stringify({ jsonrpc: '2.0', id: 1, result: { text: '"error":{' } }), 200],
    [error(-32601), 404],
    [error(-32602), 400],
    [error(-32020), 400],
    [error(-32021), 400],
    [error(-32022), 400],
    [error(-32603), 500],
    [error(-31999), 500],
  ])('%s → %i', (json, status) => {
    expect(httpStatusOfResponse(json)).toBe(status);
    expect(isErrorResponse(json)).toBe(status !== 200);
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
