import {
  ProtocolError,
  type Client,
  type ClientOptions,
  type Diagnostic,
  type EraPreference,
  type Implementation,
  type LoggingLevel,
  type NotificationTarget,
  type ParamsOutput,
  type ReceivedNotification,
  type Root,
  type TransportError,
} from '@tidings/protocol';
import { ConfigError } from './configError.js';
import { readServersConfig, type McpServersJson } from './readServersConfig.js';
import type { ServersConfig } from './serverConfig.js';
import { ServerLink, type ReconnectSettings } from './serverLink.js';
import type { ServerState, ServerStateChange } from './serverState.js';

/** A notification as a pool's default handler gets it: the core's, plus the server it came from. */
export interface ServerNotification extends ReceivedNotification {
  /** The server's name in the config. */
  readonly server: string;
}

/** Second argument of a pool's `on` handlers. */
export interface NotificationSource {
  /** The server's name in the config. */
  readonly server: string;
}

/** A server that did not do what was asked, and why. */
export interface ServerFailure {
  readonly server: string;
  readonly error: Error;
}

/** Settings of one server that override the pool's. */
export interface PerServerOptions {
  /** Replaces the pool's `onNotification` for this server. */
  readonly onNotification?: (notification: ServerNotification) => void;
  /** Wins over the entry's `era` and the pool's. */
  readonly era?: EraPreference;
}

/** How dropped connections are re-established. */
export interface ReconnectOptions {
  /** Delay before the first attempt; doubles per attempt. @default 500 */
  readonly initialDelayMs?: number;
  /** @default 30_000 */
  readonly maxDelayMs?: number;
  /** Attempts in a row before the server is `failed`. @default Infinity */
  readonly maxAttempts?: number;
}

/** Options of {@link connectServers}; the core client's options apply to every server. */
export interface ConnectServersOptions extends Omit<ClientOptions, 'era' | 'onNotification' | 'onClose' | 'cacheKey' | 'onError' | 'onDiagnostic'> {
  /** How the clients introduce themselves. @default { name: 'tidings-client', version: '0.0.0' } */
  readonly clientInfo?: Implementation;
  /** Era of every server whose entry and `servers` options name none. @default 'auto' */
  readonly era?: EraPreference;
  /** Every notification of every server that no `on` handler and no per-server handler took. */
  readonly onNotification?: (notification: ServerNotification) => void;
  /** Per-server overrides, by name. */
  readonly servers?: Readonly<Record<string, PerServerOptions>>;
  /** Each change of a server's state: ready, reconnecting (with why), failed, closed. */
  readonly onStateChange?: (change: ServerStateChange) => void;
  /** Each line a stdio server writes to stderr (its log). The last lines are also quoted when it fails. @default dropped */
  readonly onStderr?: (line: string, server: string) => void;
  /** Transport faults that did not close a connection. */
  readonly onError?: (error: TransportError, server: string) => void;
  /** Dropped messages and callback failures. @default the core's (handler errors on stderr) */
  readonly onDiagnostic?: (diagnostic: Diagnostic, server: string) => void;
  /** Environment stdio servers' `env` is laid over. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** How long one connection attempt may take, a slow `npx` download included. @default 60_000 */
  readonly connectTimeoutMs?: number;
  /** `false`: a dropped server is `failed`. @default reconnect with backoff, without limit */
  readonly reconnect?: ReconnectOptions | false;
}

/** Many servers behind one object, each a core `Client` (see `connectServers`). */
export interface ConnectedServers extends AsyncDisposable {
  /** Every server of the config, in its order, failed ones included. */
  readonly names: readonly string[];
  /** The servers that are `failed` now, each with its reason. */
  readonly failures: readonly ServerFailure[];
  /** The client of one server. Throws a ConfigError for a name not in the config and a ProtocolError (with the reason) for a failed server. */
  get(name: string): Client;
  /** Where one server is now. */
  state(name: string): ServerState;
  /** Handles one notification method on every server; the handler learns which. Returns the function that removes it everywhere. */
  on<T extends NotificationTarget>(target: T, handler: (params: ParamsOutput<T>, source: NotificationSource) => void): () => void;
  /** Replaces the roots of every server (legacy servers are told). */
  setRoots(roots: readonly Root[]): Promise<readonly ServerFailure[]>;
  /** Sets the log level of every server, kept across reconnects. */
  setLogLevel(level: LoggingLevel): Promise<readonly ServerFailure[]>;
  /** Subscribes every server to a resource's updates, kept across reconnects. */
  subscribe(uri: string): Promise<readonly ServerFailure[]>;
  /** Ends a subscription on every server. */
  unsubscribe(uri: string): Promise<readonly ServerFailure[]>;
  /** Closes every connection and stops every stdio server; resolves once all are. */
  close(): Promise<void>;
}

const DEFAULT_CLIENT_INFO: Implementation = { name: 'tidings-client', version: '0.0.0' };

/**
 * Connects every server of an `mcpServers` config (a path, JSON text, a
 * parsed object, or what `readServersConfig` returned), in parallel. Resolves
 * once each server is ready or failed: a server that cannot start is listed in
 * `failures` with its reason and the others work. Rejects only with a
 * {@link ConfigError}, before anything starts. A connection that drops later
 * is re-established with backoff (`reconnect`), keeping its handlers, log
 * level and subscriptions.
 */
export async function connectServers(
  config: string | McpServersJson | ServersConfig,
  options: ConnectServersOptions = {},
): Promise<ConnectedServers> {
  const read = isRead(config) ? config : readServersConfig(config, { env: options.env });
  const {
    clientInfo = DEFAULT_CLIENT_INFO,
    onNotification,
    servers: overrides = {},
    onStateChange,
    onStderr,
    onError,
    onDiagnostic,
    env = process.env,
    connectTimeoutMs = 60_000,
    reconnect,
    era: poolEra,
    ...clientOptions
  } = options;
  for (const name of Object.keys(overrides)) {
    if (!read.servers.some((s) => s.name === name)) throw unknownServer(name, read);
  }
  let logLevel: LoggingLevel | undefined;
  const subscriptions = new Set<string>();
  const restore = async (client: Client): Promise<void> => {
    // Best effort: a server that refuses is still connected, as it was before the drop.
    await Promise.allSettled([...(logLevel ? [client.setLogLevel(logLevel)] : []), ...[...subscriptions].map((uri) => client.subscribe(uri))]);
  };
  const links = new Map<string, ServerLink>();
  for (const server of read.servers) {
    const override = overrides[server.name];
    const handler = override?.onNotification ?? onNotification;
    links.set(
      server.name,
      new ServerLink({
        config: server,
        clientInfo,
        clientOptions: {
          ...clientOptions,
          onError: onError && ((error) => onError(error, server.name)),
          onDiagnostic: onDiagnostic && ((diagnostic) => onDiagnostic(diagnostic, server.name)),
        },
        era: override?.era ?? server.era ?? poolEra ?? 'auto',
        onNotification: handler ? (n) => handler({ server: server.name, method: n.method, params: n.params }) : () => {},
        onState: (state, previous) => onStateChange?.({ server: server.name, state, previous }),
        onStderr: (line) => onStderr?.(line, server.name),
        env,
        connectTimeoutMs,
        reconnect: reconnectSettings(reconnect),
        restore,
      }),
    );
  }
  const link = (name: string): ServerLink => {
    const found = links.get(name);
    if (!found) throw unknownServer(name, read);
    return found;
  };
  const each = async (fn: (client: Client, link: ServerLink) => Promise<void>): Promise<ServerFailure[]> => {
    const ready = [...links.values()].filter((l) => l.state.kind === 'ready');
    const settled = await Promise.allSettled(ready.map((l) => fn(l.client, l)));
    return settled.flatMap((s, i) => (s.status === 'rejected' ? [{ server: ready[i]!.name, error: s.reason as Error }] : []));
  };
  let closing: Promise<void> | undefined;

  await Promise.all([...links.values()].map((l) => l.start()));

  const pool: ConnectedServers = {
    names: read.servers.map((s) => s.name),
    get failures() {
      return [...links.values()].flatMap((l) => (l.state.kind === 'failed' ? [{ server: l.name, error: l.state.reason }] : []));
    },
    get(name) {
      const found = link(name);
      if (found.state.kind === 'failed') {
        throw new ProtocolError('ConnectionClosed', `Server ${JSON.stringify(name)} is not connected: ${found.state.reason.message}`, { cause: found.state.reason });
      }
      return found.client;
    },
    state: (name) => link(name).state,
    on(target, handler) {
      const removers = [...links.values()].map((l) => l.client.on(target, (params) => handler(params, { server: l.name })));
      return () => removers.forEach((remove) => remove());
    },
    async setRoots(roots) {
      // Every client keeps the roots, so a server that connects later answers roots/list with them.
      const settled = await Promise.allSettled([...links.values()].map((l) => l.client.setRoots(roots)));
      const names = [...links.keys()];
      return settled.flatMap((s, i) => (s.status === 'rejected' && links.get(names[i]!)!.state.kind === 'ready' ? [{ server: names[i]!, error: s.reason as Error }] : []));
    },
    async setLogLevel(level) {
      logLevel = level;
      return each((client) => client.setLogLevel(level));
    },
    async subscribe(uri) {
      subscriptions.add(uri);
      return each((client) => client.subscribe(uri));
    },
    async unsubscribe(uri) {
      subscriptions.delete(uri);
      return each((client) => client.unsubscribe(uri));
    },
    close() {
      closing ??= Promise.all([...links.values()].map((l) => l.close())).then(() => undefined);
      return closing;
    },
    [Symbol.asyncDispose]() {
      return pool.close();
    },
  };
  return pool;
}

function isRead(config: string | McpServersJson | ServersConfig): config is ServersConfig {
  return typeof config === 'object' && Array.isArray((config as ServersConfig).servers);
}

function reconnectSettings(options: ReconnectOptions | false | undefined): ReconnectSettings | false {
  if (options === false) return false;
  return {
    initialDelayMs: options?.initialDelayMs ?? 500,
    maxDelayMs: options?.maxDelayMs ?? 30_000,
    maxAttempts: options?.maxAttempts ?? Number.POSITIVE_INFINITY,
  };
}

function unknownServer(name: string, read: ServersConfig): ConfigError {
  const known = read.servers.map((s) => s.name).join(', ') || 'none';
  return new ConfigError('unknown-server', `no server named ${JSON.stringify(name)} in the config (servers: ${known})`, { path: read.path, server: name });
}
