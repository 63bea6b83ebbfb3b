import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../../../test-support/childProcess.js';
import { waitFor } from '../../../test-support/waitFor.js';
import type { WatchEvent } from '../src/watchEvent.js';
import { scratchDir, startCli, startReference, stdioEntry, type RunningCli } from './helpers/scripts.js';

// `--json`: one JSON object per line, read here line by line as a program reading the output would.
const scratch = scratchDir();
let web: ServerProcess;
let sse: ServerProcess;
let config: string;
const SERVERS = ['local', 'web', 'old'];
beforeAll(async () => {
  [web, sse] = await Promise.all([startReference('streamable-http'), startReference('sse')]);
  config = scratch.write('mcp.json', { mcpServers: { local: stdioEntry(), web: { url: web.url }, old: { type: 'sse', url: sse.url } } });
});
afterAll(async () => {
  await Promise.all([web?.stop(), sse?.stop()]);
  scratch.remove();
});

let cli: RunningCli | undefined;
afterEach(async () => {
  await cli?.stop();
  cli = undefined;
});

/** Every line of the output, each parsed on its own: a line that is not one JSON object fails the test. */
function events(stdout: string): WatchEvent[] {
  const lines = stdout.split('\n');
  expect(lines.pop()).toBe('');
  return lines.map((line) => {
    const event = JSON.parse(line) as WatchEvent;
    expect(event).toMatchObject({ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), server: expect.any(String), type: expect.any(String) });
    return event;
  });
}
const of = <T extends WatchEvent['type']>(list: WatchEvent[], type: T, server: string) =>
  list.filter((e): e is Extract<WatchEvent, { type: T }> => e.type === type && e.server === server);

describe('tidings --json', () => {
  it('watch prints every event of every server as NDJSON, and Ctrl-C closes each server', async () => {
    cli = startCli([
      'watch', '--config', config, '--json', '--level', 'debug',
      '--notification', 'custom/ping',
      '--subscribe', 'test://watched-resource',
      '--call', 'long_running_task {"task_name":"nd","steps":3}',
      '--call', 'broadcast {"method":"custom/ping","params":{"n":1}}',
      '--call', 'touch_resource {"uri":"test://watched-resource"}',
    ]);
    await waitFor(() => expect(events(cli!.stdout()).filter((e) => e.type === 'result')).toHaveLength(9), 30_000);
    await waitFor(() => {
      for (const server of SERVERS) {
        expect(of(events(cli!.stdout()), 'notification', server).map((e) => e.method)).toEqual(
          expect.arrayContaining(['notifications/tools/list_changed', 'custom/ping', 'notifications/resources/updated']),
        );
      }
    }, 15_000);
    cli.signal('SIGINT');
    const run = await cli.done;
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');

    const all = events(run.stdout);
    for (const server of SERVERS) {
      const states = of(all, 'state', server);
      expect(states[0]).toMatchObject({ state: 'ready', transport: server === 'local' ? 'stdio' : server === 'web' ? 'streamable-http' : 'sse' });
      expect(states.at(-1)).toMatchObject({ state: 'closed' });
      expect(of(all, 'state', 'web')[0]).toMatchObject({ era: 'modern', protocolVersion: '2026-07-28' });
      expect(of(all, 'state', 'old')[0]).toMatchObject({ era: 'legacy' });

      const results = of(all, 'result', server);
      const task = results.find((r) => r.tool === 'long_running_task')!;
      expect(task).toMatchObject({ isError: false, content: [{ type: 'text', text: "Task 'nd' completed" }], durationMs: expect.any(Number) });
      // Every progress update of the call, in order, before its result.
      const progress = of(all, 'progress', server).filter((p) => p.token === task.token);
      expect(progress.map((p) => [p.progress, p.total, p.message])).toEqual([[1 / 3, 1, 'Step 1/3'], [2 / 3, 1, 'Step 2/3'], [1, 1, 'Step 3/3']]);
      expect(all.indexOf(progress.at(-1)!)).toBeLessThan(all.indexOf(task));
      expect(results.find((r) => r.tool === 'touch_resource')!.content).toEqual([{ type: 'text', text: '1' }]);

      const notifications = of(all, 'notification', server);
      expect(notifications.filter((n) => n.method === 'notifications/message').map((n) => n.params?.data)).toEqual(
        expect.arrayContaining([1, 2, 3].map((i) => `Task 'nd': completed step ${i}/3`)),
      );
      expect(notifications.find((n) => n.method === 'custom/ping')!.params).toMatchObject({ n: 1 });
      expect(notifications.find((n) => n.method === 'notifications/resources/updated')!.params).toMatchObject({ uri: 'test://watched-resource' });
    }
    // The stdio server's log arrives as events of its own, never mixed into the protocol.
    expect(of(all, 'stderr', 'local').map((e) => e.line)).toContain('listening stdio');
  });

  it('call prints its progress and the result as NDJSON; a tool error exits 1', async () => {
    cli = startCli(['call', '--config', config, '--json', 'web', 'long_running_task', '{"task_name":"one","steps":2}']);
    const run = await cli.done;
    expect(run.code).toBe(0);
    const all = events(run.stdout);
    expect(all.map((e) => e.type)).toEqual(expect.arrayContaining(['state', 'progress', 'result']));
    expect(of(all, 'progress', 'web').map((p) => p.message)).toEqual(['Step 1/2', 'Step 2/2']);
    expect(all.at(-1)).toMatchObject({ type: 'result', tool: 'long_running_task', isError: false, content: [{ type: 'text', text: "Task 'one' completed" }] });

    const failing = await startCli(['call', '--config', config, '--json', 'old', 'test_error_handling']).done;
    expect(failing.code).toBe(1);
    expect(events(failing.stdout).at(-1)).toMatchObject({ type: 'result', server: 'old', isError: true, content: [{ type: 'text', text: expect.stringContaining('intentionally returns an error') }] });
  });
});
