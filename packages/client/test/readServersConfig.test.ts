import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, readServersConfig, type ConfigErrorCode, type McpServersJson } from '@tidings/client';

const dir = mkdtempSync(join(tmpdir(), 'tidings-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = { API_KEY: 'k-123', HOME_DIR: '/home/me', EMPTY: '' };
const read = (source: string | McpServersJson) => readServersConfig(source, { env });

/** Writes a config file into the test's folder and returns its path. */
function file(name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/** Runs `fn`, expecting a ConfigError; returns it. */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('the formats hosts write', () => {
  it('Claude Desktop: command, args and env make a stdio server', () => {
    const { servers, path } = read({
      mcpServers: { filesystem: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'], env: { DEBUG: '1' } } },
    });
    expect(path).toBeUndefined();
    expect(servers).toEqual([
      { name: 'filesystem', era: undefined, transport: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'], env: { DEBUG: '1' }, cwd: undefined },
    ]);
  });

  it('Cursor: a url with headers and ${env:VAR} is Streamable HTTP', () => {
    const { servers } = read({ mcpServers: { remote: { url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer ${env:API_KEY}' } } } });
    expect(servers[0]).toEqual({ name: 'remote', era: undefined, transport: 'streamable-http', url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer k-123' } });
  });

  it('MCP Inspector: type stdio, sse and streamable-http', () => {
    const { servers } = read({
      mcpServers: {
        local: { type: 'stdio', command: 'node', args: ['build/index.js'] },
        old: { type: 'sse', url: 'http://localhost:3001/sse' },
        new: { type: 'streamable-http', url: 'http://localhost:3001/mcp' },
      },
    });
    expect(servers.map((s) => [s.name, s.transport])).toEqual([['local', 'stdio'], ['old', 'sse'], ['new', 'streamable-http']]);
  });

  it('mcp-use: a bare http url is Streamable HTTP (falling back to HTTP+SSE at connect)', () => {
    const { servers } = read({ mcpServers: { PrimitiveServer: { url: 'http://127.0.0.1:8000/mcp' } } });
    expect(servers[0]).toMatchObject({ transport: 'streamable-http', url: 'http://127.0.0.1:8000/mcp', headers: {} });
  });

  it('ws:// and wss:// URLs are WebSocket; type ws and websocket say so explicitly', () => {
    const { servers } = read({
      mcpServers: {
        inferred: { url: 'ws://127.0.0.1:8765/' },
        secure: { url: 'wss://mcp.example.com/socket' },
        short: { type: 'ws', url: 'ws://127.0.0.1:1/' },
        long: { type: 'websocket', url: 'ws://127.0.0.1:2/' },
      },
    });
    expect(servers.map((s) => s.transport)).toEqual(['websocket', 'websocket', 'websocket', 'websocket']);
  });

  it('Claude Code .mcp.json: type http, ${VAR:-default}, and an unset variable with a default', () => {
    const { servers } = read({
      mcpServers: { api: { type: 'http', url: '${BASE:-https://api.example.com}/mcp', headers: { 'X-Key': '${API_KEY}' } } },
    });
    expect(servers[0]).toMatchObject({ transport: 'streamable-http', url: 'https://api.example.com/mcp', headers: { 'X-Key': 'k-123' } });
  });

  it("VS Code .vscode/mcp.json: the servers key, comments, trailing commas and ${workspaceFolder}", () => {
    const path = file(
      'project/.vscode/mcp.json',
      `{
        // VS Code writes JSON with comments
        "servers": {
          "local": { "type": "stdio", "command": "node", "args": ["\${workspaceFolder}/server.js",], /* inline */ },
          "remote": { "type": "http", "url": "http://localhost:3000/mcp" },
        },
      }`,
    );
    const { servers } = read(path);
    expect(servers[0]).toMatchObject({ transport: 'stdio', args: [join(dir, 'project', 'server.js')] });
    expect(servers[1]).toMatchObject({ transport: 'streamable-http' });
  });

  it('Cline: type streamableHttp, and disabled entries are listed apart', () => {
    const { servers, disabled } = read({
      mcpServers: { on: { type: 'streamableHttp', url: 'http://localhost:1/mcp' }, off: { command: 'node', disabled: true } },
    });
    expect(servers.map((s) => s.name)).toEqual(['on']);
    expect(disabled).toEqual(['off']);
  });

  it("Windsurf's serverUrl, Gemini CLI's httpUrl, and mcphost's header lines", () => {
    const { servers } = read({
      mcpServers: {
        windsurf: { serverUrl: 'https://a.example/mcp' },
        gemini: { httpUrl: 'https://b.example/mcp' },
        mcphost: { url: 'https://c.example/sse', headers: ['Authorization: Bearer x', 'X-Trace: a:b'] },
      },
    });
    expect(servers.map((s) => s.transport)).toEqual(['streamable-http', 'streamable-http', 'streamable-http']);
    expect(servers[2]).toMatchObject({ headers: { Authorization: 'Bearer x', 'X-Trace': 'a:b' } });
  });

  it('a file path, with cwd resolved against the file and numbers in env written as text', () => {
    const path = file('desktop/claude_desktop_config.json', JSON.stringify({ mcpServers: { s: { command: 'node', cwd: 'servers', env: { PORT: 3000, VERBOSE: true } } } }));
    const config = read(path);
    expect(config.path).toBe(path);
    expect(config.servers[0]).toMatchObject({ cwd: join(dir, 'desktop', 'servers'), env: { PORT: '3000', VERBOSE: 'true' } });
  });

  it('JSON text, ${userHome}, and the Tidings era preference', () => {
    const { servers } = read('{"mcpServers":{"s":{"command":"${userHome}/bin/server","era":"legacy"}}}');
    expect(servers[0]).toMatchObject({ command: `${homedir()}/bin/server`, era: 'legacy' });
  });
});

describe('bad configs name the server and the field', () => {
  const cases: Array<[string, McpServersJson, ConfigErrorCode, string | undefined, RegExp]> = [
    ['neither command nor url', { mcpServers: { empty: {} } }, 'missing-transport', undefined, /needs "command".*or "url"/],
    ['an unknown type', { mcpServers: { grpc: { type: 'grpc', url: 'http://x' } } }, 'unknown-type', 'type', /unknown transport type "grpc" \(expected stdio, http, streamable-http, sse, ws or websocket\)/],
    ['command and url without type', { mcpServers: { both: { command: 'node', url: 'http://x' } } }, 'ambiguous-transport', undefined, /both "command" and "url"/],
    ['type stdio without command', { mcpServers: { s: { type: 'stdio', url: 'http://x' } } }, 'missing-transport', 'command', /needs "command"/],
    ['type sse without url', { mcpServers: { s: { type: 'sse' } } }, 'missing-transport', 'url', /needs "url"/],
    ['args that are not strings', { mcpServers: { s: { command: 'node', args: ['a', { b: 1 }] } } }, 'invalid-field', 'args.1', /expected a string, got an object/],
    ['args that are not a list', { mcpServers: { s: { command: 'node', args: '--port 1' } } }, 'invalid-field', 'args', /expected an array of strings/],
    ['env that is not an object', { mcpServers: { s: { command: 'node', env: ['A=1'] } } }, 'invalid-field', 'env', /expected an object of strings, got an array/],
    ['a url that is not one', { mcpServers: { s: { url: 'localhost:3000' } } }, 'invalid-field', 'url', /needs an http:\/\/ or https:\/\/ URL, got localhost:3000/],
    ['a url that does not parse', { mcpServers: { s: { url: 'http://[::1' } } }, 'invalid-field', 'url', /"http:\/\/\[::1" is not a URL/],
    ['a WebSocket type with an http url', { mcpServers: { s: { type: 'ws', url: 'http://x/' } } }, 'invalid-field', 'url', /needs a ws:\/\/ or wss:\/\/ URL/],
    ['an unset variable', { mcpServers: { gh: { command: 'node', env: { TOKEN: '${GITHUB_TOKEN}' } } } }, 'unset-variable', 'env.TOKEN', /\$\{GITHUB_TOKEN\} is not set/],
    ['a VS Code input prompt', { mcpServers: { s: { command: 'node', args: ['${input:key}'] } } }, 'invalid-field', 'args.0', /asks VS Code to prompt/],
    ['an unknown era', { mcpServers: { s: { command: 'node', era: '2025' } } }, 'invalid-field', 'era', /expected "auto", "legacy" or "modern"/],
    ['an entry that is not an object', { mcpServers: { s: 'node server.js' } }, 'invalid-field', undefined, /expected an object/],
    ['a header line without a colon', { mcpServers: { s: { url: 'http://x/', headers: ['Bearer x'] } } }, 'invalid-field', 'headers.0', /expected "Name: value"/],
  ];

  it.each(cases)('%s', (_title, config, code, field, message) => {
    const error = configError(() => read(config));
    expect(error.code).toBe(code);
    expect(error.server).toBe(Object.keys(config.mcpServers!)[0]);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`server "${error.server}"`);
    if (field !== undefined) expect(error.message).toContain(`field "${field}"`);
  });

  it('invalid JSON says where, with the file', () => {
    const path = file('broken.json', '{\n  "mcpServers": {\n    "a": { "command": "node" }\n    "b": {}\n  }\n}');
    const error = configError(() => read(path));
    expect(error.code).toBe('invalid-json');
    expect(error.path).toBe(path);
    expect(error.message).toMatch(new RegExp(`^${path}: not valid JSON at line 4, column 5`));
  });

  it('a missing file and a file without mcpServers', () => {
    const missing = configError(() => read(join(dir, 'nope.json')));
    expect([missing.code, missing.message]).toEqual(['unreadable', `${join(dir, 'nope.json')}: cannot read the config: no such file`]);
    const other = configError(() => read(file('package.json', '{"name":"x"}')));
    expect(other.code).toBe('no-servers');
    expect(other.message).toMatch(/expected an object with "mcpServers"/);
    expect(configError(() => read({ mcpServers: [] as never })).field).toBe('mcpServers');
  });

  it('an empty variable without a default stays empty rather than failing', () => {
    expect(read({ mcpServers: { s: { command: 'node', env: { X: '${EMPTY}' } } } }).servers[0]).toMatchObject({ env: { X: '' } });
  });
});
