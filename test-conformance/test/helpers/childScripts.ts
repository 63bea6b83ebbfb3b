import { join } from 'node:path';
import { inject } from 'vitest';
import type { ChildScript } from './bundleFixtures.js';

/**
 * The bundled form of a script a test starts as a child (see bundleFixtures.ts,
 * the project's globalSetup): run it as `node <path>`.
 */
export function bundledScript(name: ChildScript): string {
  return join(inject('childScriptsDir'), `${name}.mjs`);
}

/**
 * The environment of every child a test starts: this process's, less
 * NODE_EXTRA_CA_CERTS. Node parses that certificate bundle at every start-up
 * (about 100 ms per child on a busy 2-core machine), and no child of the suite
 * opens a TLS connection: they speak over pipes and plain HTTP on 127.0.0.1.
 */
export const childEnv: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && e[0] !== 'NODE_EXTRA_CA_CERTS'),
);
