import { fileURLToPath } from 'node:url';
import { context } from 'esbuild';
import type { TestProject } from 'vitest/node';
import { bundleScripts, type CreateBundleContext } from '../../../test-support/bundleScripts.js';
import { ensureDebianPackage } from '../../../test-support/ensureDebianPackage.js';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

declare module 'vitest' {
  export interface ProvidedContext {
    /** `node <referenceServer> --transport X --port 0 --redis URL` starts one node of a cluster. */
    referenceServer: string;
  }
}

/**
 * redis-server from Debian: installed here on a fresh root machine, else an
 * Error with the exact install hint; never a skip. Also bundles the
 * reference server once, for the tests that run a cluster of processes.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  ensureDebianPackage({ command: 'redis-server', versionArgs: ['--version'] });
  const bundled = await bundleScripts(
    context as unknown as CreateBundleContext,
    { referenceServer: here('../../../test-conformance/src/reference/cli.ts') },
    here('../../../tsconfig.json'),
  );
  project.onTestsRerun(() => bundled.rebuild());
  project.provide('referenceServer', `${bundled.dir}/referenceServer.mjs`);
  return () => bundled.dispose();
}
