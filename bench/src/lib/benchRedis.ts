import { connect } from 'node:net';
import { startRedisServer, type RedisServer } from '../../../test-support/redisServer.js';
import { trackPid } from './child.js';

/** Asks a redis-server for its PID (`INFO server`, inline command over a plain socket). */
function redisPid(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('redis-server did not answer INFO within 5 s'));
    }, 5000);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const match = /process_id:(\d+)/.exec(text);
      if (!match) return;
      clearTimeout(timer);
      socket.end();
      resolve(Number(match[1]));
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.write('INFO server\r\n');
  });
}

/**
 * A real redis-server for a cluster case, started by the tests' own helper
 * (127.0.0.1, a free port, a temp dir, no persistence). Its PID is handed to
 * lib/child.ts, so a case ended early (time limit, signal) kills it by PID too;
 * normally `stop()` ends it and removes its directory.
 */
export async function startBenchRedis(): Promise<RedisServer> {
  const redis = await startRedisServer();
  try {
    trackPid(await redisPid(redis.port));
  } catch (error) {
    await redis.stop();
    throw error;
  }
  return redis;
}
