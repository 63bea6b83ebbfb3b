import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isRunning, type ServerProcess } from '../../../test-support/childProcess.js';
import { waitFor } from '../../../test-support/waitFor.js';
import { scratchDir, startReference, stdioEntry, tidingsScript } from './helpers/scripts.js';
import { shellQuote, TmuxTerminal } from './helpers/tmux.js';

// `tidings watch` and `tidings call` in a real terminal (tmux), read off the screen as a person would.
const scratch = scratchDir();
let http: ServerProcess;
let config: string;
beforeAll(async () => {
  http = await startReference('streamable-http');
  config = scratch.write('mcp.json', { mcpServers: { local: stdioEntry(), web: { url: http.url } } });
});
afterAll(async () => {
  await http?.stop();
  scratch.remove();
});

let terminal: TmuxTerminal | undefined;
afterEach(async () => {
  await terminal?.close();
  terminal = undefined;
});

const tidings = (...args: string[]): string => [process.execPath, tidingsScript(), ...args].map(shellQuote).join(' ');
const TASK = JSON.stringify({ task_name: 'demo', steps: 5, delay_ms: 600 });

/** Percentages a server's long_running_task bar showed, in the order the screens showed them. */
function percentsOn(screen: string, server: string): number | undefined {
  const match = new RegExp(`${server}\\s+long_running_task [█░]+\\s+(\\d+)%`).exec(screen);
  return match ? Number(match[1]) : undefined;
}

/** Reads screens until `done` passes, noting each new percentage `server`'s bar shows. */
async function watchBar(term: TmuxTerminal, server: string, done: (screen: string) => void): Promise<number[]> {
  const seen: number[] = [];
  await term.waitForScreen((screen) => {
    const percent = percentsOn(screen, server);
    if (percent !== undefined && percent !== seen.at(-1)) seen.push(percent);
    done(screen);
  }, 60_000);
  return seen;
}

describe('in a real terminal', () => {
  it('tidings watch: a bar per call whose percent advances, counters, coloured logs, then Ctrl-C closes cleanly', async () => {
    terminal = TmuxTerminal.start(tidings('watch', '--config', config, '--level', 'debug', '--call', `long_running_task ${TASK}`), { width: 120, height: 30 });
    const seen = await watchBar(terminal, 'local', (screen) => expect(screen).toMatch(/local\s+long_running_task ✓ Task 'demo' completed/));
    // Each step showed for 600 ms against a 10 fps view: more than one value was on screen, in order.
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.every((p) => [20, 40, 60, 80, 100].includes(p))).toBe(true);

    const screen = await terminal.waitForScreen((s) => expect(s).toMatch(/web\s+long_running_task ✓ Task 'demo' completed/));
    // One status line per server: its wire and era, and list_changed counted per type.
    expect(screen).toMatch(/● local\s+stdio · (legacy 2025-11-25|modern 2026-07-28)\s+tools [1-5] · resources [1-5] · prompts [1-5] · updates 0 · custom 0/);
    expect(screen).toMatch(/● web\s+streamable-http · modern 2026-07-28\s+tools [1-5] · resources [1-5] · prompts [1-5]/);
    expect(screen).toMatch(/\d\d:\d\d:\d\d local\s+debug\s+Task 'demo': completed step 5\/5/);
    const pid = Number(/pid (\d+)/.exec(screen)?.[1] ?? NaN);

    terminal.sendKeys('C-c');
    await waitFor(() => expect(terminal!.exit()).toEqual({ dead: true, status: 0 }), 30_000);
    const closed = terminal.screen();
    expect(closed).toMatch(/○ local\s+closed/);
    expect(closed).toMatch(/○ web\s+closed/);
    if (!Number.isNaN(pid)) expect(isRunning(pid)).toBe(false);
  });

  it('tidings call: the bar advances while the tool runs, then the result is printed and the exit status is 0', async () => {
    terminal = TmuxTerminal.start(tidings('call', '--config', config, 'web', 'long_running_task', TASK), { width: 110, height: 16 });
    const seen = await watchBar(terminal, 'web', (screen) => {
      expect(screen).toContain("Task 'demo' completed");
      expect(terminal!.exit().dead).toBe(true);
    });
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(100);
    const screen = terminal.screen();
    // The finished bar stays, and the result is the last line.
    expect(screen).toMatch(/✓ web\s+long_running_task █{24}\s+100% · Step 5\/5/);
    expect(screen.split('\n').at(-1)).toBe("Task 'demo' completed");
    expect(terminal.exit()).toEqual({ dead: true, status: 0 });
  });
});
