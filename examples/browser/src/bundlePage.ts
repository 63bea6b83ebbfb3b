import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { workspaceAlias } from '../../../vitest.shared.js';

/** The page's HTML and its script, bundled for the browser from the runtime-neutral client entry. */
export interface PageFiles {
  readonly html: string;
  readonly script: string;
}

/**
 * Bundles the page with esbuild for the browser, no Node shims: called by the
 * test and the serve script at start. Rejects when the client entry's import
 * graph does not bundle for a browser (a `node:*` import, say).
 */
export async function bundlePage(): Promise<PageFiles> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./page.ts', import.meta.url))],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    // The workspace's sources, so the page runs what the repository holds (no build step).
    alias: workspaceAlias,
    logLevel: 'silent',
  });
  const html = await readFile(fileURLToPath(new URL('../index.html', import.meta.url)), 'utf8');
  return { html, script: result.outputFiles[0]!.text };
}
