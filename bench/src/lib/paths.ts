import { fileURLToPath } from 'node:url';

/** The repository root (`/…/main/`), found from this file, never hard-coded. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The root tsconfig whose `paths` map `@tidings/*` to the workspace sources. */
export const tsconfigPath = fileURLToPath(new URL('../../../tsconfig.json', import.meta.url));

/** Loader that compiles TypeScript like tsup ships it (no keepNames); see loader/hooks.mjs. */
export const plainLoader = fileURLToPath(new URL('../loader/register.mjs', import.meta.url));

/**
 * How the measured processes run TypeScript: `plain` (default) through
 * loader/register.mjs, `tsx` through tsx. Read from TIDINGS_BENCH_RUNNER,
 * which every child inherits.
 */
export function runner(): 'plain' | 'tsx' {
  return process.env.TIDINGS_BENCH_RUNNER === 'tsx' ? 'tsx' : 'plain';
}

/** Absolute path of a file under `bench/src/`. */
export function benchFile(relative: string): string {
  return fileURLToPath(new URL(`../${relative}`, import.meta.url));
}

/** Environment of every TypeScript child: tsx must resolve `@tidings/*` to the sources; the runner choice is passed on. */
export function childEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  return { ...process.env, TSX_TSCONFIG_PATH: tsconfigPath, TIDINGS_BENCH_RUNNER: runner(), ...extra };
}

/** `node` arguments that run a TypeScript file with the chosen runner. */
export function nodeArgs(file: string, args: readonly string[] = [], nodeFlags: readonly string[] = []): string[] {
  return [...nodeFlags, '--import', runner() === 'tsx' ? 'tsx' : plainLoader, file, ...args];
}
