import { ensureDebianPackage } from '../../../test-support/ensureDebianPackage.js';

/** Chromium from Debian (nothing downloads a browser): installed here on a fresh root machine, else the exact hint. */
export default function setup(): void {
  ensureDebianPackage({ command: 'chromium', versionArgs: ['--version'] });
}
