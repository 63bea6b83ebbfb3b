import { execFileSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { ensureDebianPackage } from '../../../test-support/ensureDebianPackage.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Chromium executable the tests launch (Debian's, found once by the global setup). */
    chromiumPath: string;
  }
}

/**
 * Chromium from Debian (nothing downloads a browser): installed here on a
 * fresh root machine, else an Error with the exact install hint; never a skip.
 */
export default function setup(project: TestProject): void {
  ensureDebianPackage({ command: 'chromium', versionArgs: ['--version'] });
  project.provide('chromiumPath', execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim());
}
