import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeHeaderValue, encodeHeaderValue } from '../../src/http/headerValue.js';
import { checkModernRequest, mcpNameOf, modernRequestHeaders } from '../../src/http/modernHeaders.js';
import { paramHeadersOf, paramRequestHeaders } from '../../src/http/paramHeaders.js';

const meta = (extra: Record<string, unknown> = {}) => ({
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
  ...extra,
});
const request = (method: string, params: Record<string, unknown> = {}, metaExtra: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id: 1,
  method,
  params: { ...params, _meta: meta(metaExtra) },
});
const headers = (method: string, extra: Record<string, string> = {}) => ({ 'mcp-protocol-version': '2026-07-28', 'mcp-method': method, ...extra });

describe('header value encoding (2026-07-28 streamable-http §value encoding)', () => {
  it.each([
    ['us-west1', 'us-west1'],
    ['Hello, 世界', '=?base64?SGVsbG8sIOS4lueVjA==?='],
    [' padded ', '=?base64?IHBhZGRlZCA=?='],
    ['line1\nline2', '=?base64?bGluZTEKbGluZTI=?='],
    ['=?base64?literal?=', '=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?='],
  ])('%j ⇄ %s', (value, encoded) => {
    expect(encodeHeaderValue(value)).toBe(encoded);
    expect(decodeHeaderValue(encoded)).toBe(value);
  });

  it('rejects malformed Base64 and keeps values without the full sentinel literal', () => {
    expect(decodeHeaderValue('=?base64?SGVsbG8?=')).toBeUndefined();
    expect(decodeHeaderValue('=?base64?SGVs!!!bG8=?=')).toBeUndefined();
    expect(decodeHeaderValue('SGVsbG8=')).toBe('SGVsbG8=');
    expect(decodeHeaderValue('=?base64?SGVsbG8=')).toBe('=?base64?SGVsbG8=');
    expect(decodeHeaderValue('  spaced  ')).toBe('spaced');
  });

  it('never throws on arbitrary input, and round-trips any string', () => {
    fc.assert(fc.property(fc.string(), (raw) => void decodeHeaderValue(raw)));
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (value) => decodeHeaderValue(encodeHeaderValue(value)) === value));
  });
});

describe('modernRequestHeaders (client side)', () => {
  it('mirrors the version, the method and the name source of the method', () => {
    expect(modernRequestHeaders(request('tools/call', { name: 'get_weather' }))).toEqual({
      'MCP-Protocol-Version': '2026-07-28',
      'Mcp-Method': 'tools/call',
      'Mcp-Name': 'get_weather',
    });
    expect(modernRequestHeaders(request('resources/read', { uri: 'file:///a b' }))).toMatchObject({ 'Mcp-Name': 'file:///a b' });
    expect(modernRequestHeaders(request('prompts/get', { name: 'grüße' }))).toMatchObject({ 'Mcp-Name': encodeHeaderValue('grüße') });
    expect(modernRequestHeaders(request('tools/list'))).toEqual({ 'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': 'tools/list' });
    expect(modernRequestHeaders({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} })).toBeUndefined();
    expect(mcpNameOf('tasks/get', { taskId: 't1' })).toBe('t1');
  });
});

describe('checkModernRequest (server validation)', () => {
  const codeOf = (h: Record<string, string>, m: Record<string, unknown>) => checkModernRequest(h, m)?.rpcCode;

  it('accepts a well-formed request, header names already lower-cased, values trimmed', () => {
    expect(checkModernRequest(headers('tools/call', { 'mcp-name': '  x  ' }), request('tools/call', { name: 'x' }))).toBeUndefined();
    expect(checkModernRequest(headers('tools/list'), request('tools/list'))).toBeUndefined();
  });

  it('answers a malformed envelope with −32602 before looking at headers', () => {
    expect(codeOf({}, { jsonrpc: '2.0', id: 1, method: 'server/discover', params: {} })).toBe(-32602);
    expect(codeOf(headers('x'), { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } } })).toBe(-32602);
  });

  it('answers any missing or disagreeing header with −32020', () => {
    expect(codeOf(headers('prompts/list'), request('tools/list'))).toBe(-32020);
    expect(codeOf({ 'mcp-protocol-version': '2026-07-28' }, request('tools/list'))).toBe(-32020);
    expect(codeOf({ 'mcp-method': 'tools/list' }, request('tools/list'))).toBe(-32020);
    expect(codeOf(headers('TOOLS/LIST'), request('tools/list'))).toBe(-32020);
    expect(codeOf(headers('tools/call'), request('tools/call', { name: 'x' }))).toBe(-32020);
    expect(codeOf(headers('tools/call', { 'mcp-name': 'y' }), request('tools/call', { name: 'x' }))).toBe(-32020);
    expect(codeOf(headers('tools/call', { 'mcp-name': '=?base64?eA?=' }), request('tools/call', { name: 'x' }))).toBe(-32020);
    expect(codeOf(headers('server/discover'), request('server/discover', {}, { 'io.modelcontextprotocol/protocolVersion': 'v999' }))).toBe(-32020);
  });

  it('then −32022 for an unsupported revision and −32601 for a legacy-only method', () => {
    const error = checkModernRequest(headers('server/discover', { 'mcp-protocol-version': 'v999' }), request('server/discover', {}, { 'io.modelcontextprotocol/protocolVersion': 'v999' }));
    expect(error?.rpcCode).toBe(-32022);
    expect(error?.data).toMatchObject({ requested: 'v999', supported: expect.arrayContaining(['2026-07-28']) });
    expect(codeOf(headers('ping'), request('ping'))).toBe(-32601);
    expect(codeOf(headers('logging/setLevel'), request('logging/setLevel', { level: 'info' }))).toBe(-32601);
  });

  it('checks only a present Mcp-Method on notifications', () => {
    const note = { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1 } };
    expect(checkModernRequest({}, note)).toBeUndefined();
    expect(checkModernRequest({ 'mcp-method': 'notifications/cancelled' }, note)).toBeUndefined();
    expect(checkModernRequest({ 'mcp-method': 'other' }, note)?.rpcCode).toBe(-32020);
  });
});

describe('Mcp-Param-* headers (x-mcp-header)', () => {
  const schema = {
    type: 'object',
    properties: {
      region: { type: 'string', 'x-mcp-header': 'Region' },
      count: { type: 'integer', 'x-mcp-header': 'Count' },
      nested: { type: 'object', properties: { flag: { type: 'boolean', 'x-mcp-header': 'Flag' } } },
      query: { type: 'string' },
    },
  };
  const call = (args: Record<string, unknown>) => request('tools/call', { name: 'sql', arguments: args });
  const check = (args: Record<string, unknown>, extra: Record<string, string>) =>
    checkModernRequest(headers('tools/call', { 'mcp-name': 'sql', ...extra }), call(args), () => schema)?.rpcCode;

  it('finds the annotated parameters through properties only, and refuses invalid annotations', () => {
    expect(paramHeadersOf(schema)).toEqual([
      { name: 'Region', path: ['region'] },
      { name: 'Count', path: ['count'] },
      { name: 'Flag', path: ['nested', 'flag'] },
    ]);
    expect(paramHeadersOf({ properties: { a: { type: 'number', 'x-mcp-header': 'A' } } })).toBeUndefined();
    expect(paramHeadersOf({ properties: { a: { type: 'string', 'x-mcp-header': 'A' }, b: { type: 'string', 'x-mcp-header': 'a' } } })).toBeUndefined();
    expect(paramHeadersOf({ properties: { a: { type: 'string', 'x-mcp-header': 'bad name' } } })).toBeUndefined();
  });

  it('builds the client headers with the value encoding rules', () => {
    expect(paramRequestHeaders(schema, { region: 'us-west1', count: 42, nested: { flag: false }, query: 'q' })).toEqual({
      'Mcp-Param-Region': 'us-west1',
      'Mcp-Param-Count': '42',
      'Mcp-Param-Flag': 'false',
    });
    expect(paramRequestHeaders(schema, { region: 'Hello, 世界' })).toEqual({ 'Mcp-Param-Region': '=?base64?SGVsbG8sIOS4lueVjA==?=' });
  });

  it('accepts matching headers (Base64 decoded, integers compared as numbers) and refuses the rest with −32020', () => {
    expect(check({ region: 'us-west1', count: 42 }, { 'mcp-param-region': 'us-west1', 'mcp-param-count': '42.0' })).toBeUndefined();
    expect(check({ region: 'Hello' }, { 'mcp-param-region': `=?base64?${Buffer.from('Hello').toString('base64')}?=` })).toBeUndefined();
    expect(check({ region: 'SGVsbG8=' }, { 'mcp-param-region': 'SGVsbG8=' })).toBeUndefined();
    expect(check({ query: 'only unannotated' }, {})).toBeUndefined();
    expect(check({ region: 'us-west1' }, {})).toBe(-32020);
    expect(check({ region: 'us-west1' }, { 'mcp-param-region': 'eu-west1' })).toBe(-32020);
    expect(check({ region: 'Hello' }, { 'mcp-param-region': '=?base64?SGVsbG8?=' })).toBe(-32020);
    expect(check({ region: 'Hello' }, { 'mcp-param-region': '=?base64?SGVs!!!bG8=?=' })).toBe(-32020);
    expect(check({ nested: { flag: true } }, { 'mcp-param-flag': 'false' })).toBe(-32020);
  });
});
