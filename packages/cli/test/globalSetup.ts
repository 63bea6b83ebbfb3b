// Vitest globalSetup of the cli project: tmux (a Debian package, installed when
// missing on a fresh machine) for the real-terminal tests, and the CLI and the
// reference server bundled once per run so each starts with plain node.
import { fileURLToPath } from 'node:url';
import { context } from 'esbuild';
import type { TestProject } from 'vitest/node';
import { bundleScripts, type CreateBundleContext } from '../../../test-support/bundleScripts.js';
import { ensureDebianPackage } from '../../../test-support/ensureDebianPackage.js';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

declare module 'vitest' {
  export interface ProvidedContext {
    /** Folder with `tidings.mjs` (the CLI) and `referenceServer.mjs`. */
    cliScriptsDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  ensureDebianPackage({ command: 'tmux' });
  const bundled = await bundleScripts(
    context as unknown as CreateBundleContext,
    { tidings: here('../src/bin.ts'), referenceServer: here('../../../test-conformance/src/reference/cli.ts') },
    here('../../../tsconfig.json'),
  );
  project.onTestsRerun(() => bundled.rebuild());
  project.provide('cliScriptsDir', bundled.dir);
  return () => bundled.dispose();
}
