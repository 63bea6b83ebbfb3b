export { createRedisClusterBus } from './redisClusterBus.js';
export type { RedisClusterBus, RedisClusterBusOptions } from './redisClusterBus.js';
export type { RedisConnectionOptions } from './redisConnection.js';
export { createRedisEventStore } from './redisEventStore.js';
export type { RedisEventStore, RedisEventStoreOptions } from './redisEventStore.js';
export { createRedisTaskStore } from './redisTaskStore.js';
export type { RedisTaskStore, RedisTaskStoreOptions } from './redisTaskStore.js';
export { createRedisSessionStore } from './redisSessionStore.js';
export type { RedisSessionStore, RedisSessionStoreOptions } from './redisSessionStore.js';
