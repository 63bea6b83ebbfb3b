import { fileURLToPath } from 'node:url';

/** The repository root (`/…/main/`), found from this file, never hard-coded. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The root tsconfig whose `paths` map `@tidings/*` to the workspace sources. */
export const tsconfigPath = fileURLToPath(new URL('../../../tsconfig.json', import.meta.url));

/** Absolute path of a file under `bench/src/`. */
export function benchFile(relative: string): string {
  return fileURLToPath(new URL(`../${relative}`, import.meta.url));
}

/** Environment of every TypeScript child: tsx must resolve `@tidings/*` to the sources. */
export function childEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  return { ...process.env, TSX_TSCONFIG_PATH: tsconfigPath, ...extra };
}

/** `node` arguments that run a TypeScript file with tsx. */
export function tsxArgs(file: string, args: readonly string[] = [], nodeFlags: readonly string[] = []): string[] {
  return [...nodeFlags, '--import', 'tsx', file, ...args];
}
