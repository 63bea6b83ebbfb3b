import { defineConfig, type Options } from 'tsup';

/** The build every package shares: ESM + CJS + .d.ts for Node 20, from `src/index.ts` unless told otherwise. */
export function packageBuild(entry: Options['entry'] = ['src/index.ts']) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
  });
}
