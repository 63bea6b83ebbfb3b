import { startRedisServer, type RedisServer } from './redisServer.js';

/**
 * The Redis a test uses: `REDIS_URL` when set (another Redis, shared), else a
 * redis-server of its own. Tests that kill or restart Redis always start
 * their own with `startRedisServer`.
 */
export async function redisForTests(): Promise<{ url: string; stop(): Promise<void> }> {
  const given = process.env.REDIS_URL;
  if (given) return { url: given, stop: async () => {} };
  const server: RedisServer = await startRedisServer();
  return { url: server.url, stop: () => server.stop() };
}

/** A channel prefix no other test (or run sharing `REDIS_URL`) uses. */
export function uniquePrefix(): string {
  return `tidings-test-${globalThis.crypto.randomUUID()}`;
}
