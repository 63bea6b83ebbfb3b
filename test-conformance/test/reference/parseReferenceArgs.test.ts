import { describe, expect, it } from 'vitest';
import { parseReferenceArgs } from '../../src/reference/parseReferenceArgs.js';

describe('parseReferenceArgs', () => {
  it('defaults to port 0 on 127.0.0.1', () => {
    expect(parseReferenceArgs(['--transport', 'stdio'])).toEqual({ transport: 'stdio', port: 0, host: '127.0.0.1', runtime: 'node' });
  });

  it('reads every transport, a port and a host', () => {
    for (const transport of ['stdio', 'websocket', 'sse', 'streamable-http']) {
      expect(parseReferenceArgs(['--transport', transport, '--port', '8123', '--host', '::1'])).toEqual({
        transport,
        port: 8123,
        host: '::1',
        runtime: 'node',
      });
    }
  });

  it('serves the HTTP transports through the fetch binding with --runtime fetch, and only those', () => {
    for (const transport of ['sse', 'streamable-http']) {
      expect(parseReferenceArgs(['--transport', transport, '--runtime', 'fetch'])).toMatchObject({ transport, runtime: 'fetch' });
    }
    expect(() => parseReferenceArgs(['--transport', 'stdio', '--runtime', 'fetch'])).toThrow('--runtime fetch serves the HTTP transports');
    expect(() => parseReferenceArgs(['--transport', 'sse', '--runtime', 'deno'])).toThrow('unknown runtime "deno"');
  });

  it('joins a cluster with --redis and names the node with --node-id, which needs --redis', () => {
    expect(parseReferenceArgs(['--transport', 'streamable-http', '--redis', 'redis://127.0.0.1:6379', '--node-id', 'n1'])).toMatchObject({
      redis: 'redis://127.0.0.1:6379',
      nodeId: 'n1',
    });
    expect(parseReferenceArgs(['--transport', 'websocket'])).not.toHaveProperty('redis');
    expect(() => parseReferenceArgs(['--transport', 'sse', '--redis', '127.0.0.1:6379'])).toThrow('--redis must be a redis://');
    expect(() => parseReferenceArgs(['--transport', 'sse', '--node-id', 'n1'])).toThrow('it needs --redis');
    expect(parseReferenceArgs(['--transport', 'streamable-http', '--request-state-secret', 'k'])).toMatchObject({ requestStateSecret: 'k' });
  });

  it('refuses a missing or unknown transport, a bad port and unknown options', () => {
    expect(() => parseReferenceArgs([])).toThrow('--transport is required');
    expect(() => parseReferenceArgs(['--transport', 'pigeon'])).toThrow('unknown transport "pigeon"');
    expect(() => parseReferenceArgs(['--transport', 'sse', '--port', '70000'])).toThrow('--port must be');
    expect(() => parseReferenceArgs(['--transport', 'sse', '--port', '-1'])).toThrow();
    expect(() => parseReferenceArgs(['--transport', 'sse', '--verbose'])).toThrow();
  });
});
