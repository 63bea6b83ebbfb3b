import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type Client, type Transport } from '@tidings/protocol';
import { createSseClientTransport } from '@tidings/sse';
import { createStreamableHttpClientTransport } from '@tidings/streamable-http';
import { createWebSocketClientTransport } from '@tidings/websocket';
import { bundledScript, childEnv } from '../helpers/childScripts.js';

/** Longest wait for one line of the CLI (its start-up included) on a loaded machine. */
const START_TIMEOUT_MS = 20_000;
/** A test waits for a line, a client's round trips and the exit: each bounded, together well under this. */
const TEST_TIMEOUT_MS = 3 * START_TIMEOUT_MS;

/** A CLI child with its stderr and stdout read line by line. */
interface Cli {
  readonly child: ChildProcess;
  readonly stderr: string[];
  readonly stdout: string[];
  /** Resolves with the first line (already seen or to come) of `which` matching `pattern`. */
  line(which: 'stdout' | 'stderr', pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  readonly exit: Promise<number | NodeJS.Signals | null>;
}

const running: Cli[] = [];
const clients: Client[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const cli of running.splice(0)) {
    if (cli.child.exitCode === null && cli.child.signalCode === null && cli.child.pid !== undefined) process.kill(cli.child.pid, 'SIGKILL');
    await cli.exit;
  }
});

function startCli(args: string[]): Cli {
  // The CLI bundled as `tsup` builds the published bin: one file run by plain node.
  const child = spawn(process.execPath, [bundledScript('referenceCli'), ...args], {
    env: childEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines = { stdout: [] as string[], stderr: [] as string[] };
  const waiters = new Set<() => void>();
  for (const which of ['stdout', 'stderr'] as const) {
    createInterface({ input: child[which]! }).on('line', (line) => {
      lines[which].push(line);
      for (const wake of waiters) wake();
    });
  }
  const exit = new Promise<number | NodeJS.Signals | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const cli: Cli = {
    child,
    ...lines,
    exit,
    line: (which, pattern, timeoutMs = START_TIMEOUT_MS) =>
      new Promise((resolve, reject) => {
        const check = (): boolean => {
          for (const line of lines[which]) {
            const match = pattern.exec(line);
            if (match) {
              finish();
              resolve(match);
              return true;
            }
          }
          return false;
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`no ${which} line matching ${pattern} within ${timeoutMs} ms; stderr: ${lines.stderr.join(' | ')}`));
        }, timeoutMs);
        const finish = (): void => {
          clearTimeout(timer);
          waiters.delete(wake);
        };
        const wake = (): void => void check();
        if (!check()) waiters.add(wake);
      }),
  };
  running.push(cli);
  return cli;
}

const send = (cli: Cli, message: object): void => void cli.child.stdin!.write(`${JSON.stringify(message)}\n`);

describe('the reference server CLI', () => {
  it('over stdio prints "listening stdio", serves tools/list and exits 0 when stdin ends', { timeout: TEST_TIMEOUT_MS }, async () => {
    const cli = startCli(['--transport', 'stdio']);
    await cli.line('stderr', /^listening stdio$/);
    send(cli, {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'cli-test', version: '1.0.0' } },
    });
    send(cli, { jsonrpc: '2.0', method: 'notifications/initialized' });
    send(cli, { jsonrpc: '2.0', id: 2, method: 'tools/list' });
    const { input: line } = await cli.line('stdout', /"id":2[,}]/);
    const names = (JSON.parse(line) as { result: { tools: { name: string }[] } }).result.tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['test_simple_text', 'test_tool_with_progress', 'long_running_task', 'echo']));
    expect(cli.stdout.every((l) => JSON.parse(l) !== null)).toBe(true);

    cli.child.stdin!.end();
    expect(await cli.exit).toBe(0);
    expect(cli.stderr).toContain('stopped');
  });

  it('exits 2 with the usage on a bad argument', { timeout: TEST_TIMEOUT_MS }, async () => {
    const cli = startCli(['--transport', 'pigeon']);
    expect(await cli.exit).toBe(2);
    expect(cli.stderr.join('\n')).toContain('usage: reference-server --transport');
  });
});

const NETWORK: readonly [args: string, url: RegExp, connect: (url: string) => Transport][] = [
  ['streamable-http', /^listening (http:\/\/127\.0\.0\.1:(\d+)\/mcp)$/, (url) => createStreamableHttpClientTransport(url)],
  ['streamable-http --runtime fetch', /^listening (http:\/\/127\.0\.0\.1:(\d+)\/mcp)$/, (url) => createStreamableHttpClientTransport(url)],
  ['sse', /^listening (http:\/\/127\.0\.0\.1:(\d+)\/sse)$/, (url) => createSseClientTransport(url)],
  ['sse --runtime fetch', /^listening (http:\/\/127\.0\.0\.1:(\d+)\/sse)$/, (url) => createSseClientTransport(url)],
  ['websocket', /^listening (ws:\/\/127\.0\.0\.1:(\d+)\/)$/, (url) => createWebSocketClientTransport(url)],
];

describe.each(NETWORK)('the reference server CLI with --transport %s', (transport, pattern, connect) => {
  it('prints the real URL, serves a client there and exits 0 on SIGTERM', { timeout: TEST_TIMEOUT_MS }, async () => {
    const cli = startCli(['--transport', ...transport.split(' ')]);
    const [, url, port] = await cli.line('stderr', pattern);
    expect(Number(port)).toBeGreaterThan(0);
    const client = createClient({ name: 'cli-test', version: '1.0.0' });
    clients.push(client);
    await client.connect(connect(url!));
    const result = await client.callTool('echo', { message: `over ${transport}` });
    expect(result.content).toEqual([{ type: 'text', text: `over ${transport}` }]);
    await client.close();

    cli.child.kill('SIGTERM');
    expect(await cli.exit).toBe(0);
    expect(cli.stderr).toContain('stopped');
  });
});
