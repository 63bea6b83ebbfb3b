import { context } from 'esbuild';
import type { TestProject } from 'vitest/node';
import type { CreateBundleContext } from '../../../test-support/bundleScripts.js';
import { ensureDebianPackage } from '../../../test-support/ensureDebianPackage.js';
import { provideReferenceServer } from '../../../test-support/referenceServerBundle.js';

/**
 * redis-server from Debian: installed here on a fresh root machine, else an
 * Error with the exact install hint; never a skip. Also bundles the
 * reference server once, for the tests that run a cluster of processes
 * (`node <referenceServer> --transport X --port 0 --redis URL`).
 */
export default function setup(project: TestProject): Promise<() => Promise<void>> {
  ensureDebianPackage({ command: 'redis-server', versionArgs: ['--version'] });
  return provideReferenceServer(project, context as unknown as CreateBundleContext);
}
