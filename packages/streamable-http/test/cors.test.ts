import { afterEach, describe, expect, it } from 'vitest';
import { createDemoServer } from './helpers/demoServer.js';
import { closeAll, startHttp } from './helpers/harness.js';
import { postHeaders, rawRequest } from './helpers/raw.js';

afterEach(closeAll);

const APP = 'https://app.example.com';
const initialize = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'browser', version: '1' } },
});

describe('CORS for browser-based clients (origins the policy allows)', () => {
  it('answers a preflight from an allowed origin with the methods and the headers asked for', async () => {
    const { url } = await startHttp(createDemoServer(), { allowedOrigins: [APP] });
    const preflight = await rawRequest(url, {
      method: 'OPTIONS',
      headers: { origin: APP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, mcp-session-id, mcp-param-region' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'GET, POST, DELETE',
      'access-control-allow-headers': 'content-type, mcp-session-id, mcp-param-region',
      'access-control-max-age': '600',
    });
  });

  it('lets the allowed origin read the answer and its Mcp-Session-Id; a foreign origin is refused; no Origin, no CORS headers', async () => {
    const { url } = await startHttp(createDemoServer(), { allowedOrigins: [APP] });
    const fromApp = await rawRequest(url, { headers: postHeaders({ origin: APP }), body: initialize });
    expect(fromApp.status).toBe(200);
    expect(fromApp.headers['mcp-session-id']).toEqual(expect.any(String));
    expect(fromApp.headers).toMatchObject({ 'access-control-allow-origin': APP, vary: 'Origin' });
    expect(String(fromApp.headers['access-control-expose-headers'])).toContain('Mcp-Session-Id');

    const foreign = await rawRequest(url, { method: 'OPTIONS', headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' } });
    expect(foreign.status).toBe(403);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();

    const noOrigin = await rawRequest(url, { headers: postHeaders(), body: initialize });
    expect(noOrigin.status).toBe(200);
    expect(noOrigin.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('offers only POST in stateless legacy mode', async () => {
    const { url } = await startHttp(createDemoServer(), { allowedOrigins: [APP], legacy: 'stateless' });
    const preflight = await rawRequest(url, { method: 'OPTIONS', headers: { origin: APP, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toBe('POST');
    expect(preflight.headers['access-control-allow-headers']).toBeUndefined();
  });
});
