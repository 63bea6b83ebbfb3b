export { createRedisClusterBus } from './redisClusterBus.js';
export type { RedisClusterBus } from './redisClusterBus.js';
export type { RedisConnectionOptions } from './redisConnection.js';
