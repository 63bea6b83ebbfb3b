import { createHash } from 'node:crypto';
import type { RedisConnection } from './redisConnection.js';

/** Runs a Lua script on a connection. */
export type RedisScript = (client: RedisConnection, keys: string[], args: string[]) => Promise<unknown>;

/**
 * A Lua script sent by its SHA1 (EVALSHA), its text only when Redis does not
 * know it yet (a new or restarted server): EVAL would ship the text and
 * Redis hash it on every call, and some scripts run on every request.
 */
export function redisScript(source: string): RedisScript {
  const sha = createHash('sha1').update(source).digest('hex');
  return async (client, keys, args) => {
    try {
      return await client.evalSha(sha, { keys, arguments: args });
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(source, { keys, arguments: args });
    }
  };
}
