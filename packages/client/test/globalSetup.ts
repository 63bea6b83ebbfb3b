// Vitest globalSetup of the client project: bundles the reference server once
// per run (test-support/bundleScripts.ts) and hands its path to the workers.
import { fileURLToPath } from 'node:url';
import { context } from 'esbuild';
import type { TestProject } from 'vitest/node';
import { bundleScripts, type CreateBundleContext } from '../../../test-support/bundleScripts.js';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

declare module 'vitest' {
  export interface ProvidedContext {
    /** `node <referenceServer> --transport X --port 0` starts the reference server. */
    referenceServer: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const bundled = await bundleScripts(
    context as unknown as CreateBundleContext,
    { referenceServer: here('../../../test-conformance/src/reference/cli.ts') },
    here('../../../tsconfig.json'),
  );
  project.onTestsRerun(() => bundled.rebuild());
  project.provide('referenceServer', `${bundled.dir}/referenceServer.mjs`);
  return () => bundled.dispose();
}
