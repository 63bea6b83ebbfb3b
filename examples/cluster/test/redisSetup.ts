import { ensureDebianPackage } from '../../../test-support/ensureDebianPackage.js';

/** redis-server from Debian: installed on a fresh root machine, else an Error with the exact install hint; never a skip. */
export default function setup(): void {
  if (!process.env.REDIS_URL) ensureDebianPackage({ command: 'redis-server', versionArgs: ['--version'] });
}
