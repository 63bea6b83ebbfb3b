import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const readme = readFileSync(`${repo}README.md`, 'utf8');
/** npx, pnpm and tsx start one after the other: slow on a loaded 2-core machine. */
const RUN_TIMEOUT_MS = 60_000;

describe("README.md's Quick start", () => {
  const snippet = /## Quick start\n\n```ts\n([\s\S]*?)```\n/.exec(readme)?.[1];
  const howToRun = /This is `([^`]+)`; run it from the repository root with\s+`([^`]+)`/.exec(readme);

  it('is the file it says it is, verbatim', () => {
    expect(snippet).toBeDefined();
    expect(howToRun).not.toBeNull();
    expect(readFileSync(`${repo}${howToRun![1]}`, 'utf8')).toContain(snippet!);
  });

  it('runs with the command it gives and prints the progress and the result', async () => {
    const [command, ...args] = howToRun![2]!.split(' ');
    expect(command).toBe('npx');
    // The quick start ends by itself; past the timeout execFile fails the run.
    const { stdout } = await promisify(execFile)(command!, args, { cwd: repo, timeout: RUN_TIMEOUT_MS });
    expect(stdout).toContain('1 Step 5/5');
    expect(stdout).toContain(`[ { type: 'text', text: "Task 'test' completed" } ]`);
  }, 2 * RUN_TIMEOUT_MS);
});
