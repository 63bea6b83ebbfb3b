// Registers hooks.mjs: `node --import ./bench/src/loader/register.mjs file.ts` runs TypeScript
// the way tsup ships it (esbuild, no keepNames), unlike tsx (see hooks.mjs).
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
