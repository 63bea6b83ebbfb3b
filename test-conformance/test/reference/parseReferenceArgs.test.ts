import { describe, expect, it } from 'vitest';
import { parseReferenceArgs } from '../../src/reference/parseReferenceArgs.js';

describe('parseReferenceArgs', () => {
  it('defaults to port 0 on 127.0.0.1', () => {
    expect(parseReferenceArgs(['--transport', 'stdio'])).toEqual({ transport: 'stdio', port: 0, host: '127.0.0.1' });
  });

  it('reads every transport, a port and a host', () => {
    for (const transport of ['stdio', 'websocket', 'sse', 'streamable-http']) {
      expect(parseReferenceArgs(['--transport', transport, '--port', '8123', '--host', '::1'])).toEqual({
        transport,
        port: 8123,
        host: '::1',
      });
    }
  });

  it('refuses a missing or unknown transport, a bad port and unknown options', () => {
    expect(() => parseReferenceArgs([])).toThrow('--transport is required');
    expect(() => parseReferenceArgs(['--transport', 'pigeon'])).toThrow('unknown transport "pigeon"');
    expect(() => parseReferenceArgs(['--transport', 'sse', '--port', '70000'])).toThrow('--port must be');
    expect(() => parseReferenceArgs(['--transport', 'sse', '--port', '-1'])).toThrow();
    expect(() => parseReferenceArgs(['--transport', 'sse', '--verbose'])).toThrow();
  });
});
