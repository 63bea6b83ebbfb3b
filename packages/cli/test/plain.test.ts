import { dirname } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killQuietly, type ServerProcess } from '../../../test-support/childProcess.js';
import { waitFor } from '../../../test-support/waitFor.js';
import { runCli, scratchDir, startCli, startReference, stdioEntry, type RunningCli } from './helpers/scripts.js';

// Output that is not a terminal (a pipe, as in CI or `| grep`): one plain line per event, no colour codes.
const scratch = scratchDir();
let web: ServerProcess;
let config: string;
beforeAll(async () => {
  web = await startReference('streamable-http');
  config = scratch.write('mcp.json', { mcpServers: { local: stdioEntry(), web: { url: web.url } } });
});
afterAll(async () => {
  await web?.stop();
  scratch.remove();
});

let cli: RunningCli | undefined;
afterEach(async () => {
  await cli?.stop();
  cli = undefined;
});

const LINE = /^\d\d:\d\d:\d\d\.\d{3} {2}(local|web  ) {2}\S/;

describe('plain lines when stdout is not a terminal', () => {
  it('watch prints one line per event, and closes on SIGINT', async () => {
    cli = startCli(['watch', '--config', config, '--call', 'local:long_running_task {"task_name":"p","steps":2}']);
    await waitFor(() => {
      expect(cli!.stdout()).toMatch(/local {2}long_running_task ✓ Task 'p' completed \(\d+\.\d s\)\n/);
      // List changes are merged per recipient and sent a moment after the last one.
      expect(cli!.stdout()).toMatch(/local {2}tools\/list_changed\n/);
    }, 30_000);
    cli.signal('SIGINT');
    const run = await cli.done;
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('\x1b');
    const lines = run.stdout.trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(LINE);
    const text = lines.map((line) => line.slice(14));
    expect(text).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^local {2}connected · stdio · (legacy|modern) \d{4}-\d\d-\d\d · tidings-reference-server 1\.0\.0 · pid \d+$/),
        expect.stringMatching(/^web {4}connected · streamable-http · modern 2026-07-28/),
        'local  long_running_task 50% Step 1/2',
        'local  long_running_task 100% Step 2/2',
        'local  tools/list_changed',
        'local  stderr listening stdio',
        'local  closed',
        'web    closed',
      ]),
    );
    // --level info (the default) leaves the task's debug logs out; closing reports no fault.
    expect(run.stdout).not.toMatch(/debug|error/);
  });

  it('call prints the result alone on stdout and its progress on stderr', async () => {
    const run = await runCli(['call', '--config', config, 'local', 'long_running_task', '{"task_name":"q","steps":2}']);
    expect(run).toMatchObject({ code: 0, stdout: "Task 'q' completed\n" });
    expect(run.stderr).toMatch(/local {2}long_running_task 50% Step 1\/2\n/);
  });

  it('call exits 1 on a tool error or a failed call, saying why', async () => {
    const toolError = await runCli(['call', '--config', config, 'web', 'test_error_handling']);
    expect(toolError.code).toBe(1);
    expect(toolError.stdout).toBe('');
    expect(toolError.stderr).toMatch(/^tool error: .*intentionally returns an error/m);
    const unknown = await runCli(['call', '--config', config, 'web', 'no_such_tool']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/web {2}no_such_tool error: .*no_such_tool/);
  });

  it('a URL or a command after -- needs no config', async () => {
    const byUrl = await runCli(['call', web.url, 'echo', '{"message":"by url"}']);
    expect(byUrl).toMatchObject({ code: 0, stdout: 'by url\n' });
    const byCommand = await runCli(['call', 'echo', '{"message":"by command"}', '--', stdioEntry().command, ...stdioEntry().args]);
    expect(byCommand).toMatchObject({ code: 0, stdout: 'by command\n' });
  });

  it('list prints names and descriptions, or NDJSON items', async () => {
    const tools = await runCli(['list', '--config', config, 'web', 'tools']);
    expect(tools.code).toBe(0);
    expect(tools.stdout).toMatch(/^tools \(\d+\)\n/);
    expect(tools.stdout).toMatch(/^ {2}long_running_task +Runs a task in steps/m);
    const prompts = await runCli(['list', '--config', config, '--json', 'local', 'prompts']);
    const items = prompts.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { server: string; kind: string; name: string });
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(item).toMatchObject({ server: 'local', kind: 'prompt', name: expect.any(String) });
  });

  it('a stdio server that dies is started again, and watch says so', async () => {
    cli = startCli(['watch', '--config', config, 'local']);
    await waitFor(() => expect(cli!.stdout()).toMatch(/local {2}connected · .* · pid \d+\n/), 30_000);
    const pid = Number(/pid (\d+)/.exec(cli.stdout())![1]);
    killQuietly(pid, 'SIGKILL');
    await waitFor(() => {
      expect(cli!.stdout()).toMatch(/local {2}connection lost: server exited with signal SIGKILL · reconnecting in 0\.5 s \(attempt 1\)\n/);
      expect(cli!.stdout()).toMatch(/local {2}reconnected · stdio · .* · pid \d+\n/);
    }, 30_000);
    expect(Number(/reconnected .* pid (\d+)/.exec(cli.stdout())![1])).not.toBe(pid);
    cli.signal('SIGINT');
    expect((await cli.done).code).toBe(0);
  });

  it('a reader that stops reading (| head) ends the program quietly', async () => {
    cli = startCli(['watch', '--config', config, 'web', '--call', 'long_running_task {"task_name":"h","steps":50,"delay_ms":20}']);
    await waitFor(() => expect(cli!.stdout()).toContain('connected'), 30_000);
    // Nothing reads stdout any more: the next line written fails with EPIPE.
    cli.closeStdout();
    const run = await cli.done;
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
  });

  it('a server that cannot start is reported while the others are watched', async () => {
    const withDead = scratch.write('dead.json', { mcpServers: { web: { url: web.url }, dead: { command: '/nonexistent/server' } } });
    cli = startCli(['watch', '--config', withDead]);
    await waitFor(() => {
      expect(cli!.stdout()).toMatch(/dead {2}failed: Cannot start \/nonexistent\/server: spawn \/nonexistent\/server ENOENT\n/);
      expect(cli!.stdout()).toMatch(/web {3}connected · streamable-http/);
    }, 30_000);
    cli.signal('SIGINT');
    expect((await cli.done).code).toBe(0);
  });
});

describe('mistakes on the command line exit 2 with a message that says what to fix', () => {
  it.each([
    ['a name not in the config', () => ['watch', '--config', config, 'nope'], /server "nope" is not in .*mcp\.json \(servers: local, web\)/],
    ['arguments that are not JSON', () => ['call', '--config', config, 'web', 'echo', '{message:1}'], /the tool arguments are not JSON/],
    ['a config entry without command or url', () => ['watch', '--config', scratch.write('bad.json', { mcpServers: { broken: { args: ['x'] } } })], /server "broken": needs "command" \(a server to start\) or "url"/],
    ['an unknown transport type', () => ['watch', '--config', scratch.write('type.json', { mcpServers: { s: { type: 'grpc', url: 'http://x/' } } })], /server "s", field "type": unknown transport type "grpc"/],
    ['invalid JSON in the config', () => ['watch', '--config', scratch.write('broken.json', '{ "mcpServers": { ')], /broken\.json: not valid JSON/],
    ['an unknown option', () => ['watch', '--frobnicate'], /unknown option '--frobnicate'/],
  ])('%s', async (_title, args, message) => {
    const run = await runCli(args(), { cwd: scratch.path });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('no config anywhere names where it looked', async () => {
    const empty = scratch.write('empty/.keep', '');
    const run = await runCli(['watch'], { cwd: dirname(empty), env: { HOME: dirname(empty), XDG_CONFIG_HOME: dirname(empty) } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^tidings: no config file found; pass --config <file>, a URL, or -- <command> \(looked for .*\.mcp\.json/);
  });
});
