import { describe, expect, it } from 'vitest';
import {
  cancelledRequestId,
  legacyHandshakeStep,
  negotiatedVersionOf,
  routeHttpMessage,
} from '../../src/http/httpRoute.js';

const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };

describe('routeHttpMessage', () => {
  it.each([
    ['a request with the modern envelope', { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: meta } }, undefined, 'modern'],
    ['a request with a modern MCP-Protocol-Version header but no envelope', { jsonrpc: '2.0', id: 1, method: 'server/discover', params: {} }, '2026-07-28', 'modern'],
    ['server/discover without envelope (era-neutral, stateless)', { jsonrpc: '2.0', id: 1, method: 'server/discover' }, undefined, 'modern'],
    ['a legacy initialize', { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25' } }, undefined, 'open-session'],
    ['initialize inside a modern envelope (answered −32601 by the core)', { jsonrpc: '2.0', id: 1, method: 'initialize', params: { _meta: meta } }, undefined, 'modern'],
    ['a legacy request', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x' } }, '2025-11-25', 'legacy'],
    ['a legacy notification', { jsonrpc: '2.0', method: 'notifications/initialized' }, undefined, 'legacy'],
    ['a notification with the envelope', { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1, _meta: meta } }, undefined, 'modern'],
    ['a response', { jsonrpc: '2.0', id: 4, result: {} }, undefined, 'legacy'],
  ] as const)('%s → %s', (_name, message, header, route) => {
    expect(routeHttpMessage(message as Record<string, unknown>, header)).toBe(route);
  });
});

describe('client-side handshake helpers', () => {
  it('names the two legacy handshake steps and nothing else', () => {
    expect(legacyHandshakeStep({ jsonrpc: '2.0', id: 0, method: 'initialize', params: {} })).toBe('initialize');
    expect(legacyHandshakeStep({ jsonrpc: '2.0', method: 'notifications/initialized' })).toBe('initialized');
    expect(legacyHandshakeStep({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { _meta: meta } })).toBeUndefined();
    expect(legacyHandshakeStep({ jsonrpc: '2.0', id: 0, method: 'tools/list' })).toBeUndefined();
  });

  it('reads the cancelled request id (0 included) and the negotiated revision', () => {
    expect(cancelledRequestId({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 0 } })).toBe(0);
    expect(cancelledRequestId({ jsonrpc: '2.0', method: 'notifications/cancelled', params: {} })).toBeUndefined();
    expect(cancelledRequestId({ jsonrpc: '2.0', method: 'notifications/progress', params: { requestId: 3 } })).toBeUndefined();
    expect(negotiatedVersionOf({ jsonrpc: '2.0', id: 0, result: { protocolVersion: '2025-06-18' } })).toBe('2025-06-18');
    expect(negotiatedVersionOf({ jsonrpc: '2.0', id: 0, error: { code: -1, message: 'x' } })).toBeUndefined();
  });
});
