// Vitest globalSetup of the conformance project: compiles every script a test
// starts as a child process into one plain-JavaScript file each, once per run.
// A child then starts with `node <bundle>.mjs` instead of `node --import tsx
// <script>.ts`, which halves its start-up (tsx compiles hundreds of modules in
// every child); the suite starts a few hundred children per run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { context } from 'esbuild';
import type { TestProject } from 'vitest/node';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** The scripts tests start as children, by the name `bundledScript` knows them by. */
export const CHILD_SCRIPTS = {
  stdioSuiteServer: here('../fixtures/stdioSuiteServer.ts'),
  sdkV1Server: here('../fixtures/sdkV1Server.ts'),
  sdkV2Server: here('../fixtures/sdkV2Server.ts'),
  referenceCli: here('../../src/reference/cli.ts'),
} as const;

export type ChildScript = keyof typeof CHILD_SCRIPTS;

declare module 'vitest' {
  export interface ProvidedContext {
    /** Directory holding `<ChildScript>.mjs`, written by this globalSetup. */
    childScriptsDir: string;
  }
}

/**
 * Bundles {@link CHILD_SCRIPTS} into a fresh directory of this run (engineers
 * share one checkout, so two runs must never write the same file), again
 * before each rerun in watch mode, and hands its path to the test workers;
 * returns the teardown that removes it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const outdir = mkdtempSync(join(tmpdir(), 'tidings-child-scripts-'));
  const bundler = await context({
    entryPoints: Object.entries(CHILD_SCRIPTS).map(([out, entry]) => ({ in: entry, out })),
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The paths that map @tidings/* to the packages' sources: children run the code under test, not a stale dist.
    tsconfig: here('../../../tsconfig.json'),
    // CommonJS dependencies (ajv, cross-spawn) require Node built-ins, which an ES module bundle has no `require` for.
    banner: { js: "import { createRequire as __tidingsCreateRequire } from 'node:module'; const require = __tidingsCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  try {
    await bundler.rebuild();
  } catch (error) {
    await bundler.dispose();
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
  // A rerun tests edited sources: the children must run them too.
  project.onTestsRerun(async () => void (await bundler.rebuild()));
  project.provide('childScriptsDir', outdir);
  return async () => {
    await bundler.dispose();
    rmSync(outdir, { recursive: true, force: true });
  };
}
