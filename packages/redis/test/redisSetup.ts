import type { TestProject } from 'vitest/node';
import { ensureDebianPackage } from '../../../test-support/ensureDebianPackage.js';

/**
 * redis-server from Debian: installed here on a fresh root machine, else an
 * Error with the exact install hint; never a skip. With `REDIS_URL` set the
 * tests that can use a given Redis use it; those that kill and restart one
 * still start their own.
 */
export default function setup(_project: TestProject): void {
  ensureDebianPackage({ command: 'redis-server', versionArgs: ['--version'] });
}
