import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * A command-line program: ES modules only (its bin and its programmatic entry
 * run on Node 20+, which loads them natively), with the package version
 * compiled in so `tidings --version` needs no file next to the bundle.
 */
export default defineConfig({
  entry: ['src/index.ts', 'src/bin.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  sourcemap: true,
  target: 'node20',
  define: { __TIDINGS_VERSION__: JSON.stringify(version) },
});
