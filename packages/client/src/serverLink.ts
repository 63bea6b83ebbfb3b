import {
  createClient,
  ProtocolError,
  type Client,
  type ClientOptions,
  type EraPreference,
  type Implementation,
  type ReceivedNotification,
  systemClock,
  type Transport,
} from '@tidings/protocol';
import { openTransport, type OpenTransportOptions } from './openTransport.js';
import type { ServerConfig } from './serverConfig.js';
import { transition, type ServerState } from './serverState.js';
import { StartupGate } from './startupGate.js';
import { StderrTail } from './stderrTail.js';

/** How a dropped connection is re-established. */
export interface ReconnectSettings {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxAttempts: number;
}

/** What one link needs from its pool. */
export interface ServerLinkOptions {
  readonly config: ServerConfig;
  readonly clientInfo: Implementation;
  /** Options of the core client (capabilities, roots, handlers of server requests…). */
  readonly clientOptions: ClientOptions;
  readonly era: EraPreference;
  readonly onNotification: (notification: ReceivedNotification) => void;
  readonly onState: (state: ServerState, previous: ServerState) => void;
  readonly onStderr: (line: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly connectTimeoutMs: number;
  readonly reconnect: ReconnectSettings | false;
  /** Re-applies what the pool set on every server (log level, subscriptions) to a new connection. */
  readonly restore: (client: Client) => Promise<void>;
  /**
   * Opens the transport of one attempt. Tests hand in-memory pairs here.
   * @default openTransport
   */
  readonly open?: (config: ServerConfig, options: OpenTransportOptions) => Transport & { readonly pid?: number | undefined };
}

/** Stderr lines quoted in a failure reason. */
const QUOTED_STDERR_LINES = 3;

/**
 * One server of a pool: its core Client (the same object across reconnects,
 * so handlers stay), its state, and the reconnect schedule. Each attempt
 * opens a fresh transport (a stdio server is started again).
 */
export class ServerLink {
  readonly name: string;
  readonly client: Client;
  readonly #options: ServerLinkOptions;
  readonly #stderr = new StderrTail();
  readonly #gate: StartupGate;
  #state: ServerState = { kind: 'connecting', attempt: 0 };
  /** Why the transport closed while an attempt was running: a better reason than "connection closed". */
  #closeReason: Error | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closing = false;
  #pid: number | undefined;
  /** The transport of the current attempt or connection. */
  #transport: Transport | undefined;

  constructor(options: ServerLinkOptions) {
    this.#options = options;
    this.name = options.config.name;
    this.#gate = new StartupGate(options.clientOptions.clock ?? systemClock);
    this.client = createClient(options.clientInfo, {
      ...options.clientOptions,
      clock: this.#gate.clock,
      era: options.era,
      cacheKey: options.config.name,
      onNotification: options.onNotification,
      onClose: (reason) => this.#closed(reason),
    });
  }

  /** The current state (see {@link ServerState}). */
  get state(): ServerState {
    return this.#state;
  }

  /** Makes the first connection; resolves once the server is ready or failed, never rejects. */
  async start(): Promise<void> {
    try {
      await this.#connect();
      this.#set(this.#ready(false));
    } catch (error) {
      if (!this.#closing) this.#fail(error as Error);
    }
  }

  /** Stops reconnecting and closes the connection (a stdio server is stopped); resolves once it is. */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    // The connection ends before the listen subscription: the core client's close() ends the
    // subscription first, and what the server sent meanwhile (a stdio server writes until it
    // exits) was reported as notification-invalid instead of reaching its handlers.
    await this.#transport?.close().catch(() => undefined);
    await this.client.close().catch(() => undefined);
    this.#set({ kind: 'closed' });
  }

  async #connect(): Promise<void> {
    const { config, connectTimeoutMs } = this.#options;
    this.#stderr.clear();
    this.#closeReason = undefined;
    const opened = (this.#options.open ?? openTransport)(config, {
      env: this.#options.env,
      onStderr: (line) => {
        this.#stderr.push(line);
        this.#options.onStderr(line);
      },
    });
    // A stdio server's start-up (npx installing, a JIT warming) is not its answer time: the
    // client's timers, the server/discover probe first, start at its first byte on stdout. A
    // server that stays silent gets them started at half the connect timeout, so a legacy
    // server that ignores the probe is still asked to initialize in time.
    let transport = opened;
    let startup: ReturnType<typeof setTimeout> | undefined;
    if (config.transport === 'stdio') {
      this.#gate.hold();
      transport = this.#gate.watch(opened);
      startup = setTimeout(() => this.#gate.open(), connectTimeoutMs / 2);
    }
    this.#transport = transport;
    let timedOut = false;
    // A failed attempt ends its transport, never the client: client.close() would end every
    // task handle, and a modern task outlives its connection (PROTOCOL.md §tasks), so its
    // handle waits for the next attempt. Closing the transport closes the client's engine.
    const timer = setTimeout(() => {
      timedOut = true;
      void transport.close().catch(() => undefined);
    }, connectTimeoutMs);
    try {
      await this.client.connect(transport);
      this.#pid = transport.pid;
      await this.#options.restore(this.client);
      // The connection dropped while it was being set up: this attempt failed.
      if (this.#closeReason) throw this.#closeReason;
      // A later drop quotes what the server said since it was ready, not its start-up chatter.
      this.#stderr.clear();
    } catch (error) {
      await transport.close().catch(() => undefined);
      throw this.#explain(error, timedOut);
    } finally {
      clearTimeout(timer);
      clearTimeout(startup);
      this.#gate.open();
    }
  }

  #ready(reconnected: boolean): ServerState {
    const { client } = this;
    return {
      kind: 'ready',
      era: client.era!,
      protocolVersion: client.protocolVersion!,
      serverInfo: client.serverInfo,
      pid: this.#pid,
      reconnected,
    };
  }

  /** The reason a person can act on: the server's own error, else the transport's, with the server's last stderr lines. */
  #explain(error: unknown, timedOut: boolean): Error {
    const stderr = this.#stderr.last(QUOTED_STDERR_LINES);
    const tail = stderr.length > 0 ? ` (stderr: ${stderr.join(' | ')})` : '';
    if (timedOut) {
      return new ProtocolError('RequestTimeout', `did not finish connecting within ${this.#options.connectTimeoutMs} ms${tail}`, { cause: error });
    }
    if (error instanceof ProtocolError && error.code !== 'ConnectionClosed') return error;
    const reason = this.#closeReason ?? (error instanceof Error ? error : new Error(String(error)));
    return new ProtocolError('ConnectionClosed', `${reason.message}${tail}`, { cause: reason });
  }

  /** The core client's `onClose`: an attempt's failure is handled by the attempt; a drop while ready is reconnected. */
  #closed(reason: Error | undefined): void {
    if (this.#state.kind === 'connecting') {
      this.#closeReason ??= reason;
      return;
    }
    if (this.#closing || this.#state.kind !== 'ready') return;
    const why = this.#explain(reason ?? new Error('the connection closed'), false);
    if (this.#options.reconnect === false) this.#fail(why);
    else this.#schedule(1, why);
  }

  #schedule(attempt: number, reason: Error): void {
    const settings = this.#options.reconnect;
    if (settings === false || attempt > settings.maxAttempts) {
      this.#fail(reason);
      return;
    }
    const delayMs = Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** (attempt - 1));
    this.#set({ kind: 'reconnecting', attempt, delayMs, reason });
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#retry(attempt);
    }, delayMs);
  }

  async #retry(attempt: number): Promise<void> {
    if (this.#closing) return;
    this.#set({ kind: 'connecting', attempt });
    try {
      await this.#connect();
      if (!this.#closing) this.#set(this.#ready(true));
    } catch (error) {
      if (!this.#closing) this.#schedule(attempt + 1, error as Error);
    }
  }

  /**
   * No connection will follow: the client is closed, so the handles of tasks that waited
   * for a reconnect end with ConnectionClosed instead of waiting forever.
   */
  #fail(reason: Error): void {
    void this.client.close().catch(() => undefined);
    this.#set({ kind: 'failed', reason });
  }

  #set(next: ServerState): void {
    const previous = this.#state;
    if (previous.kind === 'closed') return;
    this.#state = transition(previous, next);
    this.#options.onState(next, previous);
  }
}
