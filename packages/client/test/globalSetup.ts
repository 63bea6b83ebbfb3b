// Vitest globalSetup of the client project: bundles the reference server once
// per run (test-support/referenceServerBundle.ts) and hands its path to the workers.
import { context } from 'esbuild';
import type { TestProject } from 'vitest/node';
import type { CreateBundleContext } from '../../../test-support/bundleScripts.js';
import { provideReferenceServer } from '../../../test-support/referenceServerBundle.js';

export default function setup(project: TestProject): Promise<() => Promise<void>> {
  return provideReferenceServer(project, context as unknown as CreateBundleContext);
}
