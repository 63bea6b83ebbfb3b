/**
 * Module hooks that run the workspace's TypeScript as plain ESM, compiled by
 * esbuild file by file WITHOUT `keepNames`, i.e. the code tsup ships.
 *
 * Why not tsx for the measured processes: tsx compiles with `keepNames: true`,
 * so every closure the code creates at run time goes through
 * `Object.defineProperty(fn, 'name', …)`. That costs time on every closure
 * creation and turns each such function's properties into a ~256-byte
 * dictionary; measured through tsx, a Tidings session carries ~5 KiB of
 * those that the published package does not. The SDKs are compiled JS either way.
 *
 * `@tidings/*` resolves through the root tsconfig's `paths` (as tsx does);
 * relative `.js` imports from a `.ts` file resolve to the `.ts` source.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const tsconfigUrl = new URL('../../../tsconfig.json', import.meta.url);
const repoUrl = new URL('../../../', import.meta.url);
const tsconfig = JSON.parse(readFileSync(tsconfigUrl, 'utf8'));
/** Exact-match path aliases (`@tidings/protocol` → file URL of its src/index.ts). */
const aliases = new Map(
  Object.entries(tsconfig.compilerOptions?.paths ?? {}).map(([name, [target]]) => [name, new URL(target, repoUrl).href]),
);

// esbuild is tsx's own dependency: borrowed, not added.
const requireFromTsx = createRequire(createRequire(fileURLToPath(repoUrl)).resolve('tsx'));
const esbuild = requireFromTsx('esbuild');

const isTs = (url) => url.startsWith('file:') && /\.(?:ts|mts)$/.test(url);

export async function resolve(specifier, context, nextResolve) {
  const alias = aliases.get(specifier);
  if (alias) return { url: alias, format: 'module', shortCircuit: true };
  if (context.parentURL && isTs(context.parentURL) && /^\.{1,2}\//.test(specifier) && specifier.endsWith('.js')) {
    const tsUrl = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (existsSync(tsUrl)) return { url: tsUrl.href, format: 'module', shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (!isTs(url)) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const { code } = await esbuild.transform(await readFile(path, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    sourcefile: path,
    tsconfigRaw: { compilerOptions: { target: 'ES2022', useDefineForClassFields: true } },
  });
  return { format: 'module', source: code, shortCircuit: true };
}
