import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const env = { ...process.env, TSX_TSCONFIG_PATH: `${repo}tsconfig.json` };
const children: ChildProcess[] = [];

function run(file: string, args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', `${repo}examples/websocket/src/${file}`, ...args], { cwd: repo, env });
  children.push(child);
  return child;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited(child);
  }
});

describe('examples/websocket', () => {
  it('the client prints progress and list_changed from the server, in both eras', async () => {
    const server = run('server.ts', ['--port', '0']);
    const url = await new Promise<string>((resolve, reject) => {
      let stderr = '';
      server.stderr!.setEncoding('utf8');
      server.stderr!.on('data', (chunk: string) => {
        stderr += chunk;
        const match = /listening (ws:\/\/\S+)/.exec(stderr);
        if (match) resolve(match[1]!);
      });
      server.once('exit', () => reject(new Error(`server exited: ${stderr}`)));
    });

    for (const era of ['modern', 'legacy']) {
      const client = run('client.ts', [url, era]);
      let stdout = '';
      client.stdout!.setEncoding('utf8');
      client.stdout!.on('data', (chunk: string) => (stdout += chunk));
      expect(await exited(client)).toBe(0);
      expect(stdout).toContain(`(${era} era`);
      for (let i = 1; i <= 5; i++) expect(stdout).toContain(`Step ${i}/5`);
      for (const kind of ['tools', 'resources', 'prompts']) expect(stdout).toContain(`list_changed: ${kind}`);
      expect(stdout).toContain("result: Task 'example' completed");
    }

    server.kill('SIGTERM');
    expect(await exited(server)).toBe(0);
  }, 30_000);
});
