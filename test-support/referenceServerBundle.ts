import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { bundleScripts, type CreateBundleContext } from './bundleScripts.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `node <referenceServer> --transport X --port 0` starts the reference server. */
    referenceServer: string;
  }
}

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * For a vitest globalSetup: bundles the reference server CLI once per run
 * and provides its path as `referenceServer`; returns the teardown.
 * `createContext` is esbuild's `context`, from the calling package.
 */
export async function provideReferenceServer(project: TestProject, createContext: CreateBundleContext): Promise<() => Promise<void>> {
  const bundled = await bundleScripts(createContext, { referenceServer: here('../test-conformance/src/reference/cli.ts') }, here('../tsconfig.json'));
  project.onTestsRerun(() => bundled.rebuild());
  project.provide('referenceServer', `${bundled.dir}/referenceServer.mjs`);
  return () => bundled.dispose();
}
