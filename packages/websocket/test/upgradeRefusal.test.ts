import { describe, expect, it } from 'vitest';
import { fitCloseReason } from '../src/socketTransport.js';
import { offeredProtocols, pathOf, refuseUpgrade } from '../src/upgradeRefusal.js';

describe('refuseUpgrade', () => {
  it('accepts a request without Origin or subprotocols', () => {
    expect(refuseUpgrade({}, { allowedOrigins: ['http://a.example'] })).toBeUndefined();
  });

  it('refuses an origin outside the allow-list with 403, comparing without case', () => {
    const policy = { allowedOrigins: ['http://a.example'] };
    expect(refuseUpgrade({ origin: 'http://b.example' }, policy)).toEqual({ status: 403, message: 'Origin not allowed: http://b.example' });
    expect(refuseUpgrade({ origin: 'HTTP://A.EXAMPLE' }, policy)).toBeUndefined();
    expect(refuseUpgrade({ origin: 'http://b.example' }, {})).toBeUndefined();
  });

  it('requires mcp among offered subprotocols with 400', () => {
    expect(refuseUpgrade({ 'sec-websocket-protocol': 'graphql-ws, wamp' }, {})).toEqual({
      status: 400,
      message: 'Unsupported WebSocket subprotocol (offered: graphql-ws, wamp); offer "mcp"',
    });
    expect(refuseUpgrade({ 'sec-websocket-protocol': 'wamp,mcp' }, {})).toBeUndefined();
    // An origin failure is reported first: it is the one a browser user can act on.
    expect(refuseUpgrade({ origin: 'http://x', 'sec-websocket-protocol': 'wamp' }, { allowedOrigins: [] })?.status).toBe(403);
  });

  it('reads offered subprotocols from one or several headers', () => {
    expect(offeredProtocols(undefined)).toEqual([]);
    expect(offeredProtocols(' a ,b,, ')).toEqual(['a', 'b']);
    expect(offeredProtocols(['a', 'b, c'])).toEqual(['a', 'b', 'c']);
  });

  it('takes the path of a request URL without its query', () => {
    expect(pathOf('/mcp?x=1')).toBe('/mcp');
    expect(pathOf('/mcp')).toBe('/mcp');
    expect(pathOf(undefined)).toBe('/');
  });
});

describe('fitCloseReason', () => {
  it('keeps short reasons and cuts long ones to 123 bytes on a character boundary', () => {
    expect(fitCloseReason('slow consumer')).toBe('slow consumer');
    expect(Buffer.byteLength(fitCloseReason('x'.repeat(500)))).toBe(123);
    const cut = fitCloseReason('é'.repeat(100));
    expect(Buffer.byteLength(cut)).toBe(122);
    expect(cut).toBe('é'.repeat(61));
  });
});
