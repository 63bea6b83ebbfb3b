import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnv, isRunning, killQuietly } from '../../../../test-support/childProcess.js';
import { waitFor } from '../../../../test-support/waitFor.js';

/** How the program ended, once it did. */
export interface PaneExit {
  readonly dead: boolean;
  /** Its exit status, as the shell saw it (128 + n for signal n). */
  readonly status: number | undefined;
}

/**
 * One program in a real terminal: a tmux server of its own (its own socket,
 * no user config) running one pane of a fixed size. The screen is read with
 * `capture-pane` and typed into with `send-keys`, as a person would.
 */
export class TmuxTerminal {
  readonly #dir: string;
  readonly #socket: string;
  #serverPid: number | undefined;

  get #statusFile(): string {
    return join(this.#dir, 'status');
  }

  private constructor(dir: string) {
    this.#dir = dir;
    this.#socket = join(dir, 'tmux.sock');
  }

  /** Starts `command` (a shell command line) in a `width`×`height` terminal. */
  static start(command: string, size: { readonly width: number; readonly height: number }): TmuxTerminal {
    const terminal = new TmuxTerminal(mkdtempSync(join(tmpdir(), 'tidings-tmux-')));
    const config = join(terminal.#dir, 'tmux.conf');
    // The pane stays after its program exits so the exit status can be read; no status bar on the screen.
    writeFileSync(config, 'set -g remain-on-exit on\nset -g status off\nset -g history-limit 2000\n');
    // The exit status is written by the shell, not read from tmux, whose record of it depends on
    // reaping the pane in time. `trap ':' INT`: Ctrl-C reaches the program (reset to the default
    // in it) while the shell survives it to write the status.
    const wrapped = `trap ':' INT; ${command}; echo $? > ${terminal.#statusFile}`;
    terminal.#tmux(['-f', config, 'new-session', '-d', '-x', String(size.width), '-y', String(size.height), wrapped]);
    terminal.#serverPid = Number(terminal.#tmux(['display-message', '-p', '#{pid}']).trim());
    return terminal;
  }

  /** The visible screen, as text without colours, without tmux's own "Pane is dead" line, trailing blank lines dropped. */
  screen(): string {
    return this.#tmux(['capture-pane', '-p'])
      .replace(/^Pane is dead.*$/m, '')
      .replace(/\s+$/, '');
  }

  /** Polls the screen until `check` passes (it throws until then); resolves with the screen it passed on. */
  async waitForScreen(check: (screen: string) => void, timeoutMs = 30_000): Promise<string> {
    let passed = '';
    await waitFor(() => {
      const screen = this.screen();
      check(screen);
      passed = screen;
    }, timeoutMs);
    return passed;
  }

  /** Types keys: `C-c` is Ctrl-C. */
  sendKeys(...keys: string[]): void {
    this.#tmux(['send-keys', ...keys]);
  }

  /** Whether the program ended, and its exit status. */
  exit(): PaneExit {
    const file = this.#statusFile;
    if (!existsSync(file)) return { dead: false, status: undefined };
    const text = readFileSync(file, 'utf8').trim();
    return text === '' ? { dead: false, status: undefined } : { dead: true, status: Number(text) };
  }

  /** Ends the tmux server (and so the pane), by its socket then by PID; removes its files. */
  async close(): Promise<void> {
    spawnSync('tmux', ['-S', this.#socket, 'kill-server'], { env: childEnv });
    const pid = this.#serverPid;
    if (pid !== undefined) {
      killQuietly(pid, 'SIGTERM');
      await waitFor(() => {
        if (isRunning(pid)) throw new Error(`tmux server ${pid} still runs`);
      }, 10_000);
    }
    rmSync(this.#dir, { recursive: true, force: true });
  }

  #tmux(args: readonly string[]): string {
    const run = spawnSync('tmux', ['-S', this.#socket, ...args], { encoding: 'utf8', env: childEnv, timeout: 10_000 });
    if (run.status !== 0) throw new Error(`tmux ${args.join(' ')} failed: ${run.stderr || run.error?.message}`);
    return run.stdout;
  }
}

/** Quotes one argument for the shell line tmux runs. */
export const shellQuote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`;
