import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
/** npx, pnpm, tsx and the server start one after the other: slow on a loaded 2-core machine. */
const START_TIMEOUT_MS = 60_000;

/** The README's command for the reference server over stdio, exactly as documented. */
function documentedStdioCommand(): string[] {
  const readme = readFileSync(`${repo}README.md`, 'utf8');
  const command = /`(npx [^`]*reference-server --transport stdio[^`]*)`/.exec(readme)?.[1];
  if (command === undefined) throw new Error('README.md documents no reference-server --transport stdio command');
  return command.split(' ');
}

const started: ChildProcess[] = [];

afterEach(async () => {
  for (const child of started.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // Its own process group (detached): npx, pnpm, the shell, tsx and the server all go with it.
    process.kill(-child.pid, 'SIGKILL');
    await exited;
  }
});

describe('the documented stdio reference-server command', () => {
  it('prints nothing but JSON-RPC on stdout (PROTOCOL.md §stdio)', async () => {
    const [command, ...args] = documentedStdioCommand();
    expect(command).toBe('npx');
    const child = spawn(command!, args, { cwd: repo, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    started.push(child);
    const stdout: string[] = [];
    const stderr: string[] = [];
    createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
    const answered = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer within ${START_TIMEOUT_MS} ms; stdout: ${stdout.join(' | ')}; stderr: ${stderr.join(' | ')}`)), START_TIMEOUT_MS);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        stdout.push(line);
        if (line.includes('"id":1')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    child.stdin!.write(
      `${JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'stdout-check', version: '1.0.0' } },
      })}\n`,
    );
    await answered;
    // End of stdin stops the server; whatever pnpm prints on the way out is on stdout by then.
    child.stdin!.end();
    expect(await exited).toBe(0);

    expect(stdout.length).toBeGreaterThan(0);
    for (const line of stdout) {
      let message: unknown;
      expect(() => (message = JSON.parse(line)), `stdout line is not JSON: ${JSON.stringify(line)}`).not.toThrow();
      expect(message, line).toMatchObject({ jsonrpc: '2.0' });
    }
    expect(stdout.map((line) => JSON.parse(line) as unknown)).toContainEqual(
      expect.objectContaining({ id: 1, result: expect.objectContaining({ serverInfo: expect.objectContaining({ name: 'tidings-reference-server' }) }) }),
    );
  }, 2 * START_TIMEOUT_MS);
});
