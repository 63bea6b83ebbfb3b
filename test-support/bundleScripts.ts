import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The part of esbuild's `context()` result used here. */
export interface BundleContext {
  rebuild(): Promise<unknown>;
  dispose(): Promise<void>;
}

/** esbuild's `context` function, passed in by the package that depends on esbuild. */
export type CreateBundleContext = (options: Record<string, unknown>) => Promise<BundleContext>;

/** Bundled scripts in a fresh folder of this run. */
export interface BundledScripts {
  /** Folder holding `<name>.mjs` for every script. */
  readonly dir: string;
  /** Builds again (vitest watch-mode reruns test edited sources). */
  rebuild(): Promise<void>;
  /** Removes the folder. */
  dispose(): Promise<void>;
}

/**
 * Bundles TypeScript entry points that tests start as child processes into
 * one `.mjs` file each, with `tsconfig` paths so `@tidings/*` resolve to the
 * packages' sources: a child starts with plain `node <file>.mjs` (tsx would
 * compile hundreds of modules in every child on a busy 2-core machine). The
 * folder is fresh per run, since engineers share one checkout.
 */
export async function bundleScripts(
  createContext: CreateBundleContext,
  scripts: Readonly<Record<string, string>>,
  tsconfig: string,
): Promise<BundledScripts> {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-scripts-'));
  const bundler = await createContext({
    entryPoints: Object.entries(scripts).map(([out, entry]) => ({ in: entry, out })),
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    tsconfig,
    // CommonJS dependencies (cli-progress, ws) require Node built-ins, which an ES module bundle has no `require` for.
    banner: { js: "import { createRequire as __tidingsCreateRequire } from 'node:module'; const require = __tidingsCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  const dispose = async (): Promise<void> => {
    await bundler.dispose();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await bundler.rebuild();
  } catch (error) {
    await dispose();
    throw error;
  }
  return { dir, rebuild: async () => void (await bundler.rebuild()), dispose };
}
