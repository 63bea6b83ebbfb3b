import { createClient, type RedisClientType } from 'redis';

/** How every `@tidings/redis` piece reaches Redis. */
export interface RedisConnectionOptions {
  /** `redis://host:port[/db]`, or `rediss://` for TLS. */
  readonly url: string;
  /**
   * Faults that did not fail a call: a dropped connection, a reconnect
   * attempt that failed. Calls made while Redis is unreachable reject instead.
   * @default one line on stderr per fault
   */
  readonly onError?: (error: Error) => void;
  /** How long one connection attempt may take. @default 5000 */
  readonly connectTimeoutMs?: number;
  /** Longest wait between reconnection attempts (they back off up to it). @default 2000 */
  readonly maxReconnectDelayMs?: number;
}

export type RedisConnection = RedisClientType;

const reportToStderr = (error: Error): void => void globalThis.console?.error?.('[tidings/redis]', error.message);

/**
 * A node-redis client that fails fast while Redis is away — no offline queue,
 * so a call made then rejects at once instead of waiting without bound — and
 * reconnects on its own with backoff (re-subscribing what it had).
 */
export function openRedisConnection(options: RedisConnectionOptions): RedisConnection {
  const maxDelay = options.maxReconnectDelayMs ?? 2_000;
  const client: RedisConnection = createClient({
    url: options.url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: options.connectTimeoutMs ?? 5_000,
      reconnectStrategy: (retries: number) => Math.min(maxDelay, 50 * 2 ** Math.min(retries, 10)),
    },
  });
  client.on('error', options.onError ?? reportToStderr);
  return client;
}

/** A connection a store uses, and the bounded wait for it before each call. */
export interface StoreConnection {
  readonly redis: RedisConnection;
  /** Resolves once Redis is reachable, waiting at most `connectTimeoutMs`; rejects naming `what` could not be done. */
  ready(what: string): Promise<void>;
}

/** Opens and starts a store's connection (the event store's, the task store's). */
export function openStoreConnection(options: RedisConnectionOptions): StoreConnection {
  const redis = openRedisConnection(options);
  connectInBackground(redis, options.onError ?? (() => {}));
  return { redis, ready: (what) => whenReady(redis, options.connectTimeoutMs ?? 5_000, what) };
}

/** Starts connecting without waiting for it; a first attempt that fails is retried by the client's own strategy. */
export function connectInBackground(client: RedisConnection, onError: (error: Error) => void): void {
  client.connect().catch((error: unknown) => onError(error instanceof Error ? error : new Error(String(error))));
}

/** Rejects at once when Redis is not reachable now, so no caller waits on a connection that may never come. */
export function requireReady(client: RedisConnection, what: string): void {
  if (!client.isReady) throw new Error(`Redis is not reachable: cannot ${what} now`);
}

/**
 * Resolves once the client is ready, waiting at most `timeoutMs` for a
 * connection in progress; rejects then, or at once when the client is closed.
 */
export function whenReady(client: RedisConnection, timeoutMs: number, what: string): Promise<void> {
  if (client.isReady) return Promise.resolve();
  if (!client.isOpen) return Promise.reject(new Error(`Redis is not reachable: cannot ${what} (the connection is closed)`));
  return new Promise((resolve, reject) => {
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error(`Redis is not reachable: cannot ${what} (no connection within ${timeoutMs} ms)`));
    }, timeoutMs);
    client.once('ready', onReady);
  });
}

/** Ends a connection whether or not it ever opened. */
export async function closeConnection(client: RedisConnection): Promise<void> {
  if (client.isOpen) await client.close().catch(() => client.destroy());
  else client.destroy();
}
