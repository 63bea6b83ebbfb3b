import { ensureDebianPackage } from '../../../test-support/ensureDebianPackage.js';

/**
 * The cluster column's Redis: `REDIS_URL`, else redis-server from Debian,
 * installed here on a fresh root machine or an Error with the exact install
 * hint; never a skip.
 */
export default function setup(): void {
  if (!process.env.REDIS_URL) ensureDebianPackage({ command: 'redis-server', versionArgs: ['--version'] });
}
