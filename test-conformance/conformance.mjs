#!/usr/bin/env node
// `pnpm conformance [--cluster] [vitest args…]`: the main job, the conformance
// matrix. It runs on the embedded default and needs no Redis; `--cluster` (or
// REDIS_URL in the environment) adds the cluster column, 3 nodes on a real
// Redis behind a balancer without stickiness. Everything else goes to vitest.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const args = process.argv.slice(2);
const cluster = args.includes('--cluster') || Boolean(process.env.REDIS_URL);
const vitestArgs = args.filter((arg) => arg !== '--cluster');
const vitest = join(dirname(createRequire(new URL('../package.json', import.meta.url)).resolve('vitest/package.json')), 'vitest.mjs');
const env = { ...process.env, ...(cluster ? { TIDINGS_CONFORMANCE_CLUSTER: '1' } : {}) };
const reporters = ['--reporter=default', '--reporter=./test-conformance/src/matrixReporter.ts'];
const child = spawn(process.execPath, [vitest, 'run', '--project', 'conformance', '--maxWorkers=3', ...reporters, ...vitestArgs], {
  env,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
