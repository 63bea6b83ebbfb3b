import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/harness.js';

const script = fileURLToPath(new URL('./memory/idleSessions.ts', import.meta.url));

function runScript(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', script], {
      cwd: repoRoot,
      env: { ...process.env, TSX_TSCONFIG_PATH: `${repoRoot}tsconfig.json` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('memory of idle legacy sessions', () => {
  it('1,000 sessions opened then expired leave the heap within 10 % of where it started', async () => {
    const { code, stdout, stderr } = await runScript();
    expect(code, stderr).toBe(0);
    const figures = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      sessions: number;
      open: number;
      baseline: number;
      peak: number;
      final: number;
      perSessionBytes: number;
    };
    expect(figures.sessions).toBe(1000);
    expect(figures.open).toBe(1000);
    // The sessions did cost memory while open (so the measurement sees them)…
    expect(figures.peak).toBeGreaterThan(figures.baseline);
    // …and expiry gave it back.
    expect(figures.final, JSON.stringify(figures)).toBeLessThanOrEqual(figures.baseline * 1.1);
  }, 120_000);
});
