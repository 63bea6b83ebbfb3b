import { connectServers, type ConnectedServers, type ServerState, type ServersConfig } from '@tidings/client';
import { NOTIFICATION_METHODS, type Diagnostic, type EraPreference } from '@tidings/protocol';
import { CLI_VERSION } from './version.js';
import { timestamp, type EventSink, type WatchEvent } from './watchEvent.js';

/** How the CLI connects. */
export interface WatchSettings {
  /** Overrides every server's era (`--era`). */
  readonly era: EraPreference | undefined;
  /** Re-establish dropped connections (watch) or give up (call, list). */
  readonly reconnect: boolean;
  /**
   * Custom notification methods to listen for (`--notification`). A legacy
   * server sends every notification anyway; a modern one sends a custom
   * method only to listeners that name it (PROTOCOL.md §listen).
   */
  readonly notifications: readonly string[];
}

/** Diagnostics that tell a server author something is wrong with their server. */
const REPORTED: ReadonlySet<Diagnostic['kind']> = new Set(['notification-invalid', 'progress-not-increasing', 'progress-invalid', 'invalid-message']);

/** The servers a command watches, and how it lets them go. */
export interface Watched {
  readonly pool: ConnectedServers;
  /**
   * Closes every connection. Diagnostics stop first: what arrives while a
   * connection is being taken down (a list change for a listen stream just
   * ended) is not a fault of the server's.
   */
  close(): Promise<void>;
}

/**
 * Connects every server of `config` with one event stream: each state change,
 * notification and stderr line becomes a {@link WatchEvent} for `emit`.
 * Resolves once every server is ready or failed.
 */
export async function connectWatched(config: ServersConfig, emit: EventSink, settings: WatchSettings): Promise<Watched> {
  let closing = false;
  const transports = new Map(config.servers.map((s) => [s.name, s.transport]));
  const era = settings.era;
  const pool = await connectServers(config, {
    clientInfo: { name: 'tidings-cli', version: CLI_VERSION },
    servers: era === undefined ? undefined : Object.fromEntries(config.servers.map((s) => [s.name, { era }])),
    reconnect: settings.reconnect ? { maxDelayMs: 10_000 } : false,
    onNotification: ({ server, method, params }) => {
      // Progress reaches the engine only for calls this program made, which report it as `progress` events.
      if (method !== NOTIFICATION_METHODS.progress) emit({ type: 'notification', time: timestamp(), server, method, params });
    },
    onStateChange: ({ server, state }) => emit(stateEvent(server, transports.get(server) ?? 'unknown', state)),
    onStderr: (line, server) => emit({ type: 'stderr', time: timestamp(), server, line }),
    onDiagnostic: (diagnostic, server) => {
      if (closing || !REPORTED.has(diagnostic.kind)) return;
      emit({ type: 'error', time: timestamp(), server, code: diagnostic.kind, message: describeDiagnostic(diagnostic) });
    },
  });
  // Task statuses go to the handles of the tasks this program follows and to `on` handlers, never
  // to the catch-all: both eras' pushes are asked for here (they change no listen filter).
  for (const method of [...settings.notifications, NOTIFICATION_METHODS.tasks, NOTIFICATION_METHODS.taskStatus]) {
    pool.on(method, (params, { server }) => emit({ type: 'notification', time: timestamp(), server, method, params: params as Record<string, unknown> }));
  }
  return {
    pool,
    close() {
      closing = true;
      return pool.close();
    },
  };
}

/** A server's state as an event. */
export function stateEvent(server: string, transport: string, state: ServerState): WatchEvent {
  const base = { type: 'state', time: timestamp(), server, transport } as const;
  switch (state.kind) {
    case 'ready': {
      const { era, protocolVersion, serverInfo, pid, reconnected } = state;
      const info = serverInfo && { name: serverInfo.name, version: serverInfo.version };
      return { ...base, state: 'ready', era, protocolVersion, ...(info && { serverInfo: info }), ...(pid !== undefined && { pid }), reconnected };
    }
    case 'connecting':
      return { ...base, state: 'connecting', attempt: state.attempt };
    case 'reconnecting':
      return { ...base, state: 'reconnecting', attempt: state.attempt, delayMs: state.delayMs, reason: state.reason.message };
    case 'failed':
      return { ...base, state: 'failed', reason: state.reason.message };
    case 'closed':
      return { ...base, state: 'closed' };
  }
}

function describeDiagnostic(diagnostic: Diagnostic): string {
  switch (diagnostic.kind) {
    case 'progress-not-increasing':
      return `progress ${diagnostic.progress} after ${diagnostic.previous} for token ${String(diagnostic.progressToken)} was dropped: progress must increase`;
    case 'notification-invalid':
      return `an invalid ${diagnostic.method} was dropped: ${diagnostic.error.message}`;
    case 'progress-invalid':
      return `an invalid ${NOTIFICATION_METHODS.progress} was dropped`;
    case 'invalid-message':
      return `an invalid message was dropped: ${diagnostic.error.message}`;
    default:
      return diagnostic.kind;
  }
}
