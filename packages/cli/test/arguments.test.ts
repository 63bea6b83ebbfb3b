import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCallSpec } from '../src/commands/watch.js';
import { findConfigFile } from '../src/findConfigFile.js';
import { resolveTargets } from '../src/resolveTargets.js';
import { UsageError } from '../src/usageError.js';
import { renderLine } from '../src/views/segments.js';

// How the command line becomes servers and calls: pure functions, no process started.
const dir = mkdtempSync(join(tmpdir(), 'tidings-args-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const options = (config?: string) => ({ config, type: undefined, headers: [], cwd: dir, env: {} });

describe('targets', () => {
  const config = join(dir, 'servers.json');
  writeFileSync(config, JSON.stringify({ mcpServers: { a: { command: 'node', args: ['a.js'] }, b: { url: 'http://127.0.0.1:1/mcp' }, off: { command: 'x', disabled: true } } }));

  it('no target means every enabled server of the config; names pick some', () => {
    expect(resolveTargets([], undefined, options(config)).servers.map((s) => s.name)).toEqual(['a', 'b']);
    expect(resolveTargets(['b'], undefined, options(config)).servers.map((s) => s.name)).toEqual(['b']);
    expect(() => resolveTargets(['off'], undefined, options(config))).toThrow(/server "off" is disabled in/);
  });

  it('a URL is named by its host and typed by its scheme; headers and --type apply to it', () => {
    const { servers } = resolveTargets(['http://127.0.0.1:3000/mcp', 'ws://localhost:8765/'], undefined, { ...options(), headers: ['Authorization: Bearer t'] });
    expect(servers.map((s) => [s.name, s.transport])).toEqual([['127.0.0.1:3000', 'streamable-http'], ['localhost:8765', 'websocket']]);
    expect(servers[0]).toMatchObject({ headers: { Authorization: 'Bearer t' } });
    expect(resolveTargets(['http://h/sse'], undefined, { ...options(), type: 'sse' }).servers[0]).toMatchObject({ transport: 'sse' });
  });

  it('a command after -- is named by what it starts', () => {
    const name = (command: string[]) => resolveTargets([], command, options()).servers[0]!.name;
    expect(name(['npx', '-y', '@modelcontextprotocol/server-everything'])).toBe('server-everything');
    expect(name(['npx', '-y', '@scope/weather@1.2.3', '--port', '1'])).toBe('weather');
    expect(name(['node', 'build/server.js'])).toBe('server');
    expect(name(['uvx', 'mcp-server-time'])).toBe('mcp-server-time');
    expect(name(['node', '--import', 'tsx', 'src/weather/server.ts', '--port', '1'])).toBe('server');
    expect(name(['/usr/local/bin/my-server', '--flag'])).toBe('my-server');
    expect(() => resolveTargets([], [], options())).toThrow(UsageError);
  });

  it('names do not collide', () => {
    const { servers } = resolveTargets(['b', 'http://127.0.0.1:1/mcp', 'http://127.0.0.1:1/other'], undefined, options(config));
    expect(servers.map((s) => s.name)).toEqual(['b', '127.0.0.1:1', '127.0.0.1:1-2']);
  });

  it('the config is found where hosts keep it, the project before the user', () => {
    const project = join(dir, 'project');
    const home = join(dir, 'home');
    mkdirSync(join(project, '.cursor'), { recursive: true });
    mkdirSync(join(home, '.config', 'Claude'), { recursive: true });
    writeFileSync(join(home, '.config', 'Claude', 'claude_desktop_config.json'), '{"mcpServers":{}}');
    expect(findConfigFile(project, {}, home)).toBe(join(home, '.config', 'Claude', 'claude_desktop_config.json'));
    writeFileSync(join(project, '.cursor', 'mcp.json'), '{"mcpServers":{}}');
    expect(findConfigFile(project, {}, home)).toBe(join(project, '.cursor', 'mcp.json'));
    writeFileSync(join(project, '.mcp.json'), '{"mcpServers":{}}');
    expect(findConfigFile(project, {}, home)).toBe(join(project, '.mcp.json'));
    expect(findConfigFile(project, { TIDINGS_CONFIG: config }, home)).toBe(config);
  });
});

describe('--call specs', () => {
  it('a tool on every server, or on the one named before a colon, with JSON arguments', () => {
    expect(parseCallSpec('echo {"message": "hi there"}', ['a', 'b'])).toEqual([
      { server: 'a', tool: 'echo', args: { message: 'hi there' } },
      { server: 'b', tool: 'echo', args: { message: 'hi there' } },
    ]);
    expect(parseCallSpec('b:list_roots', ['a', 'b'])).toEqual([{ server: 'b', tool: 'list_roots', args: undefined }]);
    // A colon that names no server is part of the tool name.
    expect(parseCallSpec('ns:tool', ['a'])).toEqual([{ server: 'a', tool: 'ns:tool', args: undefined }]);
    expect(() => parseCallSpec('echo [1]', ['a'])).toThrow(/must be a JSON object/);
  });
});

describe('lines', () => {
  it('are cut to the width with an ellipsis before colouring, and padded on request', () => {
    const red = (s: string) => `<${s}>`;
    expect(renderLine([['abc'], ['defgh', red]], { width: 6 })).toBe('abc<de…>');
    expect(renderLine([['ab', red]], { width: 5, pad: true })).toBe('<ab>   ');
    expect(renderLine([['a\u{1F600}b']], { width: 2 })).toBe('a…');
  });
});
