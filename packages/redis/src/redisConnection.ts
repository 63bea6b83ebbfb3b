import { createClient, type RedisClientType } from 'redis';
import { StallWatch } from './stallWatch.js';

/** How every `@tidings/redis` piece reaches Redis. */
export interface RedisConnectionOptions {
  /** `redis://host:port[/db]`, or `rediss://` for TLS. */
  readonly url: string;
  /**
   * Faults that did not fail a call: a dropped connection, a reconnect
   * attempt that failed, a listener that threw. Calls made while Redis is
   * unreachable reject instead.
   * @default one line on stderr per fault
   */
  readonly onError?: (error: Error) => void;
  /**
   * How long one connection attempt may take; also how long the first calls
   * wait for the first connection of a node that is starting.
   * @default 5000
   */
  readonly connectTimeoutMs?: number;
  /**
   * How long Redis may leave every command on a connection unanswered before
   * the connection is taken as stalled (Redis paused, packets dropped without
   * the connection closing): it is then reset, its calls fail, and it
   * reconnects. A call waits at most about twice this.
   * @default 5000
   */
  readonly commandTimeoutMs?: number;
  /** Longest wait between reconnection attempts (they back off up to it). @default 2000 */
  readonly maxReconnectDelayMs?: number;
}

export type RedisConnection = RedisClientType;

const reportToStderr = (error: Error): void => void globalThis.console?.error?.('[tidings/redis]', error.message);

/** The fault reporter every piece uses: the option, or one line on stderr. */
export const errorReporter = (options: RedisConnectionOptions): ((error: Error) => void) => options.onError ?? reportToStderr;

/**
 * One connection to Redis and the rules every call on it follows: no
 * offline queue (a call while Redis is away rejects instead of waiting
 * without bound), a stalled connection reset, and reconnection with backoff
 * after a drop. The reconnection is ours, not node-redis's: its backoff
 * sleep cannot be cancelled, and a closed link must leave no timer behind.
 */
export interface RedisLink {
  /**
   * Runs one command on the connection. While the first connection is being
   * made the call waits for it (a node's first broadcast may come right
   * after it starts), at most `connectTimeoutMs`; after that, a call while
   * Redis is unreachable rejects at once, and one on a connection Redis
   * stopped answering rejects when that is noticed (`commandTimeoutMs`).
   */
  call<T>(what: string, command: (client: RedisConnection) => Promise<T>): Promise<T>;
  /** Whether a call would be sent now. */
  readonly ready: boolean;
  /** Ends the connection and every timer once the commands in flight settled (a stalled connection is reset first); later calls reject. */
  close(): Promise<void>;
}

/** What a link's owner does on each new connection before calls use it (the bus subscribes its channels again). */
export type OnConnected = (client: RedisConnection) => Promise<void>;

type Phase = { kind: 'starting' } | { kind: 'started' } | { kind: 'closed' };

/** Opens a link and starts connecting in the background. */
export function openRedisLink(options: RedisConnectionOptions, onConnected?: OnConnected): RedisLink {
  const onError = errorReporter(options);
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  const maxDelay = options.maxReconnectDelayMs ?? 2_000;
  const watch = new StallWatch(options.commandTimeoutMs ?? 5_000, () => {
    if (current) dropped(current, new Error(`Redis did not answer within ${options.commandTimeoutMs ?? 5_000} ms: the connection is reset`));
  });
  let phase: Phase = { kind: 'starting' };
  let current: RedisConnection | undefined;
  let usable = false;
  let failures = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;
  /** Bounds the handshake of the connection being made (one at a time). */
  let handshake: ReturnType<typeof setTimeout> | undefined;
  /** Calls made while the node starts share one wait: one timer however many calls. */
  let firstWait: { promise: Promise<void>; settle(error?: Error): void } | undefined;

  /** Each client's connection attempt, settled either way. */
  const attempts = new WeakMap<RedisConnection, Promise<void>>();
  /** Clients whose TCP connection opened (a handshake may still be waiting for Redis). */
  const socketUp = new WeakSet<RedisConnection>();

  /**
   * Ends a client we no longer use. One still opening its TCP connection is
   * ended once that settles: node-redis, destroyed at that moment, would
   * finish opening a socket it no longer tracks (bounded by connectTimeoutMs).
   */
  const abandon = async (client: RedisConnection): Promise<void> => {
    if (!client.isReady && !socketUp.has(client)) {
      await new Promise<void>((resolve) => {
        const opened = (): void => resolve();
        client.once('connect', opened);
        void attempts.get(client)?.then(() => {
          client.off('connect', opened);
          resolve();
        });
      });
    }
    try {
      if (client.isOpen) client.destroy();
    } catch {
      // Closed already by node-redis after the fault.
    }
  };

  const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

  const dropped = (client: RedisConnection, cause: unknown): void => {
    if (current !== client) return;
    current = undefined;
    usable = false;
    void abandon(client);
    if (phase.kind === 'closed') return;
    onError(asError(cause));
    // Jitter keeps the nodes of a cluster from reconnecting in lockstep after Redis returns.
    const delay = Math.min(maxDelay, 50 * 2 ** Math.min(failures++, 10)) * (0.75 + Math.random() * 0.25);
    retry = setTimeout(connect, Math.round(delay));
  };

  function connect(): void {
    retry = undefined;
    if (phase.kind === 'closed') return;
    const client: RedisConnection = createClient({
      url: options.url,
      disableOfflineQueue: true,
      socket: { connectTimeout: connectTimeoutMs, reconnectStrategy: false },
    });
    current = client;
    client.once('connect', () => socketUp.add(client));
    client.on('error', (error: unknown) => {
      if (!client.isReady) dropped(client, error);
      else if (current === client && phase.kind !== 'closed') onError(asError(error));
    });
    const attempt = client.connect();
    attempts.set(client, attempt.then(() => {}, () => {}));
    // node-redis bounds the TCP connect, not the handshake after it: a Redis that accepts and then says nothing would hold us.
    const timer = setTimeout(() => dropped(client, new Error(`no handshake within ${connectTimeoutMs} ms`)), connectTimeoutMs);
    handshake = timer;
    attempt
      .then(() => onConnected?.(client))
      .finally(() => {
        clearTimeout(timer);
        if (handshake === timer) handshake = undefined;
      })
      .then(
        () => {
          if (current !== client || !client.isReady) return;
          watch.connected();
          usable = true;
          failures = 0;
          if (phase.kind === 'starting') phase = { kind: 'started' };
          firstWait?.settle();
        },
        (error: unknown) => dropped(client, error),
      );
  }

  const waitForFirst = (): Promise<void> => {
    if (firstWait) return firstWait.promise;
    let settle!: (error?: Error) => void;
    const promise = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => settle(new Error(`no connection within ${connectTimeoutMs} ms`)), connectTimeoutMs);
      settle = (error) => {
        clearTimeout(timer);
        firstWait = undefined;
        if (phase.kind === 'starting') phase = { kind: 'started' };
        if (error) reject(error);
        else resolve();
      };
    });
    firstWait = { promise, settle };
    return promise;
  };

  const unreachable = (what: string, why: string): Error => new Error(`Redis is not reachable: cannot ${what} (${why})`);
  const send = <T>(what: string, command: (client: RedisConnection) => Promise<T>): Promise<T> =>
    usable && current ? watch.track(command(current)) : Promise.reject(unreachable(what, 'the connection dropped'));

  connect();
  return {
    get ready() {
      return usable;
    },
    call(what, command) {
      if (usable && current) return watch.track(command(current));
      if (phase.kind === 'closed') return Promise.reject(unreachable(what, 'closed'));
      if (phase.kind === 'started') return Promise.reject(unreachable(what, 'the connection is down, reconnecting'));
      return waitForFirst().then(
        () => send(what, command),
        (error: Error) => Promise.reject(unreachable(what, error.message)),
      );
    },
    async close() {
      if (phase.kind === 'closed') return;
      phase = { kind: 'closed' };
      clearTimeout(retry);
      clearTimeout(handshake);
      retry = handshake = undefined;
      firstWait?.settle(new Error('closed'));
      await watch.drained();
      watch.close();
      const client = current;
      current = undefined;
      usable = false;
      if (client) await abandon(client);
    },
  };
}
