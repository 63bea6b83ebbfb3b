import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../../../test-support/childProcess.js';
import { waitFor } from '../../../test-support/waitFor.js';
import type { WatchEvent } from '../src/watchEvent.js';
import { scratchDir, startCli, startReference, stdioEntry, type RunningCli } from './helpers/scripts.js';

// Task states as `tidings watch` shows them: a modern server pushes notifications/tasks, a 2025-11-25
// session notifications/tasks/status; both read the same, in plain lines and in NDJSON.
const scratch = scratchDir();
let web: ServerProcess;
let config: string;
beforeAll(async () => {
  web = await startReference('streamable-http');
  config = scratch.write('mcp.json', { mcpServers: { web: { url: web.url }, old: { ...stdioEntry(), era: 'legacy' } } });
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

const TASK_LINE = (server: string, status: string) => new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} {2}${server} +task [\\w-]+ ${status}`, 'm');

describe('tidings watch --task shows task states', () => {
  it('plain lines: each server\'s task, its state, then the result', async () => {
    cli = startCli(['watch', '--config', config, '--task', '--call', 'slow_compute {"seconds":0.2,"label":"w"}']);
    await waitFor(() => {
      for (const server of ['web', 'old']) {
        expect(cli!.stdout()).toMatch(TASK_LINE(server, 'completed'));
        expect(cli!.stdout()).toMatch(new RegExp(`${server} +slow_compute ✓ Computed w after 0\\.2s`));
      }
    }, 30_000);
    cli.signal('SIGINT');
    const run = await cli.done;
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('\x1b');
    // The raw method names are not what a person reads.
    expect(run.stdout).not.toMatch(/tasks\/status|notifications\/tasks/);
  });

  it('--json: the task notifications of both eras, as received, and the result of their call', async () => {
    cli = startCli(['watch', '--config', config, '--json', '--task', '--call', 'slow_compute {"seconds":0.2,"label":"j"}']);
    const events = (): WatchEvent[] => cli!.stdout().trimEnd().split('\n').filter(Boolean).map((line) => JSON.parse(line) as WatchEvent);
    await waitFor(() => expect(events().filter((e) => e.type === 'result')).toHaveLength(2), 30_000);
    cli.signal('SIGINT');
    expect((await cli.done).code).toBe(0);
    const all = events();
    for (const [server, method] of [['web', 'notifications/tasks'], ['old', 'notifications/tasks/status']] as const) {
      const tasks = all.filter((e): e is Extract<WatchEvent, { type: 'notification' }> => e.type === 'notification' && e.server === server && e.method === method);
      expect(tasks.at(-1)?.params).toMatchObject({ taskId: expect.any(String), status: 'completed' });
      const result = all.find((e) => e.type === 'result' && e.server === server)!;
      expect(result).toMatchObject({ isError: false, content: [{ type: 'text', text: 'Computed j after 0.2s' }] });
      // A 2025-11-25 result is fetched after the terminal status, on the same wire; a modern push
      // and the client's own read travel on different HTTP streams, so their order is not fixed.
      if (server === 'old') expect(all.indexOf(tasks.at(-1)!)).toBeLessThan(all.indexOf(result));
    }
  });
});
