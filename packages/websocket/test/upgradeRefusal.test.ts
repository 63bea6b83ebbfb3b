import { describe, expect, it } from 'vitest';
import { fitCloseReason } from '../src/fitCloseReason.js';
import { offeredProtocols, pathOf, refuseUpgrade } from '../src/upgradeRefusal.js';

describe('refuseUpgrade', () => {
  const loopback = { loopback: true } as const;

  it('accepts a request without Origin or subprotocols', () => {
    expect(refuseUpgrade({ host: '127.0.0.1:9' }, { ...loopback, allowedOrigins: ['http://a.example'] })).toBeUndefined();
  });

  it('refuses an origin outside the allow-list with 403, comparing without case', () => {
    const policy = { ...loopback, allowedOrigins: ['http://a.example'] };
    expect(refuseUpgrade({ host: 'localhost:9', origin: 'http://b.example' }, policy)).toEqual({
      status: 403,
      message: 'Origin "http://b.example" is not allowed',
    });
    expect(refuseUpgrade({ host: 'localhost:9', origin: 'HTTP://A.EXAMPLE' }, policy)).toBeUndefined();
  });

  it('on a loopback listener, by default only loopback hosts and origins pass (DNS rebinding)', () => {
    expect(refuseUpgrade({ host: 'localhost:9', origin: 'http://localhost:3000' }, loopback)).toBeUndefined();
    expect(refuseUpgrade({ host: 'localhost:9', origin: 'http://b.example' }, loopback)?.status).toBe(403);
    expect(refuseUpgrade({ host: 'rebound.example:9' }, loopback)?.status).toBe(403);
    expect(refuseUpgrade({ host: 'b.example', origin: 'http://b.example' }, { loopback: false })).toBeUndefined();
  });

  it('requires mcp among offered subprotocols with 400', () => {
    expect(refuseUpgrade({ host: 'localhost', 'sec-websocket-protocol': 'graphql-ws, wamp' }, loopback)).toEqual({
      status: 400,
      message: 'Unsupported WebSocket subprotocol (offered: graphql-ws, wamp); offer "mcp"',
    });
    expect(refuseUpgrade({ host: 'localhost', 'sec-websocket-protocol': 'wamp,mcp' }, loopback)).toBeUndefined();
    // An origin failure is reported first: it is the one a browser user can act on.
    expect(refuseUpgrade({ host: 'localhost', origin: 'http://x', 'sec-websocket-protocol': 'wamp' }, { ...loopback, allowedOrigins: [] })?.status).toBe(403);
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
