import { createServer as createNetServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, connectServers, type ConnectedServers, type ServerNotification, type ServerStateChange } from '@tidings/client';
import { ProtocolError } from '@tidings/protocol';
import { isRunning, killQuietly, type ServerProcess } from '../../../test-support/childProcess.js';
import { waitFor } from '../../../test-support/waitFor.js';
import { childEnv, startReference, stdioReferenceEntry } from './helpers/referenceServers.js';

let http: ServerProcess;
beforeAll(async () => {
  http = await startReference('streamable-http');
});
afterAll(() => http?.stop());

let pool: ConnectedServers | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

/** A port on 127.0.0.1 that was just free and that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const pidOf = (pool: ConnectedServers, name: string): number => {
  const state = pool.state(name);
  if (state.kind !== 'ready' || state.pid === undefined) throw new Error(`${name} is ${state.kind}`);
  return state.pid;
};

describe('servers that fail, stop and come back', () => {
  it('a server that cannot start is reported with its name and reason while the others work', async () => {
    const port = await closedPort();
    pool = await connectServers(
      {
        mcpServers: {
          good: stdioReferenceEntry(),
          'no-such-program': { command: '/nonexistent/mcp-server' },
          crashing: { command: process.execPath, args: ['-e', "console.error('boom: API_KEY is not set'); process.exit(3)"] },
          'nobody-listening': { url: `http://127.0.0.1:${port}/mcp` },
          http: { url: http.url },
        },
      },
      { env: childEnv },
    );
    const failures = Object.fromEntries(pool.failures.map((f) => [f.server, f.error.message]));
    expect(Object.keys(failures)).toEqual(['no-such-program', 'crashing', 'nobody-listening']);
    expect(failures['no-such-program']).toMatch(/Cannot start \/nonexistent\/mcp-server: spawn \/nonexistent\/mcp-server ENOENT/);
    // The server's own words, from its stderr, say what to fix.
    expect(failures.crashing).toMatch(/server exited with code 3 \(stderr: boom: API_KEY is not set\)/);
    expect(failures['nobody-listening']).toMatch(/ECONNREFUSED|fetch failed/);
    expect(() => pool!.get('crashing')).toThrow(ProtocolError);
    expect(() => pool!.get('crashing')).toThrow(/Server "crashing" is not connected: server exited with code 3/);

    for (const name of ['good', 'http']) {
      expect((await pool.get(name).callTool('echo', { message: `hi ${name}` })).content).toEqual([{ type: 'text', text: `hi ${name}` }]);
    }
  });

  it('a server that never answers fails after connectTimeoutMs and its process is stopped', async () => {
    const changes: ServerStateChange[] = [];
    pool = await connectServers(
      { mcpServers: { silent: { command: process.execPath, args: ['-e', 'process.stdin.resume(); setInterval(() => {}, 1000)'] } } },
      { env: childEnv, connectTimeoutMs: 1_000, onStateChange: (c) => changes.push(c) },
    );
    expect(pool.failures.map((f) => [f.server, f.error.message])).toEqual([['silent', 'did not finish connecting within 1000 ms']]);
    expect((pool.failures[0]!.error as ProtocolError).code).toBe('RequestTimeout');
    expect(changes.map((c) => c.state.kind)).toEqual(['failed']);
  });

  it('close() stops every stdio server it started', async () => {
    pool = await connectServers({ mcpServers: { one: stdioReferenceEntry(), two: stdioReferenceEntry() } }, { env: childEnv });
    const pids = [pidOf(pool, 'one'), pidOf(pool, 'two')];
    expect(pids.every(isRunning)).toBe(true);
    await pool.close();
    expect(pids.filter(isRunning)).toEqual([]);
    expect([pool.state('one'), pool.state('two')]).toEqual([{ kind: 'closed' }, { kind: 'closed' }]);
  });

  it('a stdio server that dies is started again, says so, and keeps its handlers', async () => {
    const changes: ServerStateChange[] = [];
    const seen: ServerNotification[] = [];
    pool = await connectServers(
      { mcpServers: { flaky: stdioReferenceEntry(), steady: { url: http.url } } },
      { env: childEnv, reconnect: { initialDelayMs: 50 }, onStateChange: (c) => changes.push(c), onNotification: (n) => seen.push(n) },
    );
    const heard: string[] = [];
    pool.on('custom/after', (_params, { server }) => heard.push(server));
    const first = pidOf(pool, 'flaky');
    killQuietly(first, 'SIGKILL');
    await waitFor(() => expect(pool!.state('flaky')).toMatchObject({ kind: 'ready', reconnected: true }), 15_000);
    expect(changes.filter((c) => c.server === 'flaky').map((c) => c.state.kind)).toEqual(['ready', 'reconnecting', 'connecting', 'ready']);
    const reconnecting = changes.find((c) => c.state.kind === 'reconnecting')!.state;
    expect(reconnecting).toMatchObject({ attempt: 1, delayMs: 50, reason: expect.objectContaining({ message: 'server exited with signal SIGKILL' }) });
    expect(pidOf(pool, 'flaky')).not.toBe(first);
    expect(pool.state('steady')).toMatchObject({ kind: 'ready', reconnected: false });

    const flaky = pool.get('flaky');
    await flaky.listening();
    await flaky.callTool('broadcast', { method: 'custom/after', params: {} });
    await flaky.callTool('add_tool', { name: 'after_restart' });
    await waitFor(() => expect(heard).toEqual(['flaky']));
    await waitFor(() => expect(seen.some((n) => n.server === 'flaky' && n.method === 'notifications/tools/list_changed')).toBe(true));
  });

  it('a name that is not in the config is a ConfigError, before anything starts', async () => {
    const error = await connectServers({ mcpServers: { a: { command: '/nonexistent' } } }, { servers: { b: {} } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'unknown-server', server: 'b', message: 'server "b": no server named "b" in the config (servers: a)' });
    pool = await connectServers({ mcpServers: {} });
    expect(() => pool!.get('a')).toThrow(ConfigError);
  });
});
