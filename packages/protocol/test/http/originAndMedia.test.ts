import { describe, expect, it } from 'vitest';
import { corsHeaders, corsPreflightHeaders } from '../../src/http/cors.js';
import { acceptsJsonAndSse, acceptsSse, isJsonContentType } from '../../src/http/mediaTypes.js';
import { checkOrigin, isLoopbackHostname } from '../../src/http/originPolicy.js';

describe('checkOrigin (DNS-rebinding protection)', () => {
  const loopback = { loopback: true };
  it('on a loopback server, allows loopback Host and Origin only', () => {
    expect(checkOrigin('127.0.0.1:3000', undefined, loopback)).toBeUndefined();
    expect(checkOrigin('localhost:3000', 'http://localhost:3000', loopback)).toBeUndefined();
    expect(checkOrigin('[::1]:3000', 'http://[::1]:3000', loopback)).toBeUndefined();
    expect(checkOrigin('evil.example.com', undefined, loopback)?.status).toBe(403);
    expect(checkOrigin('127.0.0.1:3000', 'http://evil.example.com', loopback)?.status).toBe(403);
    expect(checkOrigin(undefined, undefined, loopback)?.status).toBe(403);
    expect(checkOrigin('127.0.0.1', 'null', loopback)?.error.rpcCode).toBe(-32600);
  });

  it('honours explicit allow-lists', () => {
    const policy = { loopback: false, allowedHosts: ['mcp.example.com'], allowedOrigins: ['https://app.example.com'] };
    expect(checkOrigin('mcp.example.com:8443', 'https://app.example.com', policy)).toBeUndefined();
    expect(checkOrigin('other.example.com', undefined, policy)?.status).toBe(403);
    expect(checkOrigin('mcp.example.com', 'https://evil.example.com', policy)?.status).toBe(403);
  });

  it('elsewhere, allows any Host and a same-origin Origin', () => {
    const open = { loopback: false };
    expect(checkOrigin('mcp.example.com', undefined, open)).toBeUndefined();
    expect(checkOrigin('mcp.example.com', 'https://mcp.example.com', open)).toBeUndefined();
    expect(checkOrigin('mcp.example.com', 'https://evil.example.com', open)?.status).toBe(403);
  });

  it('knows loopback names', () => {
    for (const name of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]', 'app.localhost']) expect(isLoopbackHostname(name)).toBe(true);
    for (const name of ['example.com', '10.0.0.1', 'localhost.example.com']) expect(isLoopbackHostname(name)).toBe(false);
  });
});

describe('media types', () => {
  it.each([
    ['application/json, text/event-stream', true],
    ['text/event-stream;q=0.9, application/json', true],
    ['*/*', true],
    ['application/*, text/*', true],
    [undefined, true],
    ['application/json', false],
    ['text/event-stream', false],
    ['application/json, text/event-stream;q=0', false],
  ])('POST Accept %j → %s', (accept, ok) => expect(acceptsJsonAndSse(accept)).toBe(ok));

  it('GET needs text/event-stream; bodies must be JSON', () => {
    expect(acceptsSse('text/event-stream')).toBe(true);
    expect(acceptsSse('application/json')).toBe(false);
    expect(isJsonContentType('application/json; charset=utf-8')).toBe(true);
    expect(isJsonContentType('application/vnd.api+json')).toBe(true);
    expect(isJsonContentType('text/plain')).toBe(false);
    expect(isJsonContentType(undefined)).toBe(false);
  });
});

describe('CORS headers', () => {
  it('name the origin only when there is one, and echo only well-formed requested header names', () => {
    expect(corsHeaders(undefined)).toBeUndefined();
    expect(corsHeaders('https://app.example')).toMatchObject({ 'Access-Control-Allow-Origin': 'https://app.example', Vary: 'Origin' });
    const preflight = corsPreflightHeaders('https://app.example', 'POST', 'content-type, bad header, mcp-param-region,');
    expect(preflight['Access-Control-Allow-Headers']).toBe('content-type, mcp-param-region');
    expect(preflight.Allow).toBe('POST, OPTIONS');
    expect(corsPreflightHeaders(undefined, 'GET', undefined)).not.toHaveProperty('Access-Control-Allow-Origin');
  });
});
