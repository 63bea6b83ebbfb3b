import type { ScenarioObservations } from './scenarioTools.js';
import type { CallToolResult, Client, ClientOptions, Diagnostic, Era, RequestOptions, Server, ServerOptions, Transport } from '@tidings/protocol';

/**
 * What the pairing under test can do (its transport, its client, its server);
 * a scenario that needs more than this is excluded with its reason.
 */
export interface TransportCapabilities {
  /**
   * Several clients reach one server (false for stdio: one process per client).
   * @default true
   */
  readonly multipleClients: boolean;
  /**
   * The server can send requests to a legacy client (roots/list, sampling).
   * @default true
   */
  readonly serverToClientRequests: boolean;
  /**
   * Arbitrary text written with `transport.send` reaches the server as one
   * message (false for HTTP transports whose client refuses to send non-JSON).
   * @default true
   */
  readonly rawText: boolean;
  /**
   * The client can choose its own progress token.
   * @default true
   */
  readonly customProgressToken: boolean;
  /**
   * The server is the Tidings reference server, with the drivers beyond the
   * basic tool set (`list_sessions`, `notify_session`, `broadcast`,
   * `change_tools`, `roots_changes`, `client_roots`, `sample_with_heartbeat`).
   * Every server under test implements the basic set: `long_running_task`,
   * `log_levels`, `touch_resource`, `cancellation_probe`, `probe_result`;
   * `touch_resource(uri)` announces any URI a client subscribed to (the
   * scenarios' markers are `test://marker/<client name>`).
   * @default true
   */
  readonly referenceServer: boolean;
  /**
   * The client delivers a progress notification that arrives just before the
   * response (in the same read). False for the official SDK clients, which
   * dispatch notifications a microtask after responses and drop that progress
   * (typescript-sdk#2580).
   * @default true
   */
  readonly progressBeforeResponse: boolean;
  /**
   * The client ends a call at `maxTotalTimeout` even when no progress
   * arrives. False for the official SDK clients, which check that limit only
   * when progress arrives (typescript-sdk#2695).
   * @default true
   */
  readonly totalTimeoutWithoutProgress: boolean;
  /**
   * The server answers protocol errors as the spec lists them: −32700 for
   * malformed JSON, −32602 for invalid params and for an unknown tool.
   * @default true
   */
  readonly specErrors: boolean;
  /**
   * The client under test is the Tidings client, with task handles
   * (`callTool(…, { task: true })`, `watchTask`). False for a driver around
   * another implementation's client; runConformance sets it.
   * @default true
   */
  readonly tidingsClient: boolean;
}

/**
 * The client calls scenarios make: the Tidings client has them all; a driver
 * around another implementation's client provides the same calls.
 */
export type ScenarioClient = Pick<
  Client,
  | 'era'
  | 'protocolVersion'
  | 'serverInfo'
  | 'serverCapabilities'
  | 'on'
  | 'listening'
  | 'request'
  | 'ping'
  | 'subscribe'
  | 'unsubscribe'
  | 'setLogLevel'
  | 'setRoots'
  | 'close'
> & {
  /** Calls a tool (the plain call: task handles are the Tidings client's, see {@link ConnectedClient.tidings}). */
  callTool(name: string, args?: Record<string, unknown>, options?: RequestOptions): Promise<CallToolResult>;
};

/** Options a scenario passes when it opens a client. */
export type ScenarioClientOptions = Pick<ClientOptions, 'roots' | 'onSamplingRequest' | 'onElicitationRequest'>;

/** Passed to `connect`: register cleanup for what a connection started. */
export interface ConnectContext {
  /** Runs after the scenario, in reverse order of registration. */
  onCleanup(cleanup: () => void | Promise<void>): void;
}

/** Options of {@link runConformance}. */
export interface ConformanceOptions {
  /** Name of the transport under test, shown in test names and the matrix. */
  readonly name: string;
  /**
   * Serves `server` (the reference server the suite built for this scenario)
   * over the transport under test and returns a new client-side transport
   * connected to it. Called once per client a scenario opens.
   */
  connect?(server: Server, context: ConnectContext): Transport | Promise<Transport>;
  /**
   * Instead of `connect`: opens a client of another implementation (a driver
   * implementing {@link ScenarioClient}) connected to `server` in `era`.
   */
  connectClient?(server: Server, context: ConnectContext, options: DriverOptions): Promise<ScenarioClient>;
  /** The eras the transport carries. @default ['legacy', 'modern'] */
  readonly eras?: readonly Era[];
  readonly capabilities?: Partial<TransportCapabilities>;
  /** Per-scenario timeout in ms. @default 15_000 */
  readonly timeoutMs?: number;
  /**
   * Options of the reference server each scenario builds, asked for once per
   * scenario (a cluster column gives every server its own bus channel).
   * @default none
   */
  serverOptions?(): ServerOptions;
  /**
   * Where the scenario's reference server notes what its scenario tools
   * observed, asked for once per scenario after `serverOptions` (a cluster
   * column gives its nodes one, as they stand for one server).
   * @default the server's own
   */
  observations?(): ScenarioObservations;
}

/** What a client driver is asked for. */
export interface DriverOptions extends ScenarioClientOptions {
  readonly era: Era;
  /** `clientInfo.name` to announce. */
  readonly name: string;
}

/** What a scenario gets: clients of the era under test, connected to a fresh reference server. */
export interface Harness {
  readonly era: Era;
  readonly transportName: string;
  readonly capabilities: TransportCapabilities;
  /** A new client of the era under test; closed after the scenario. */
  client(options?: ScenarioClientOptions): Promise<ConnectedClient>;
}

/** A connected client plus what a scenario may need beside it. */
export interface ConnectedClient {
  /** The client's `clientInfo.name`, unique per client: find its session with `list_sessions`. */
  readonly name: string;
  readonly client: ScenarioClient;
  /** The same client as the Tidings `Client` (task handles); undefined for other implementations' clients. */
  readonly tidings: Client | undefined;
  /** The client-side transport, for writing raw text (absent for other implementations' clients). */
  readonly transport: Transport | undefined;
  /** Everything the client's engine reported. */
  readonly diagnostics: readonly Diagnostic[];
  /** Text of the first content block of a tool result. */
  callText(name: string, args?: Record<string, unknown>): Promise<string>;
}

/** The spec section a scenario checks, by revision. */
export interface SpecReference {
  readonly revision: '2025-11-25' | '2026-07-28' | '2024-11-05';
  readonly section: string;
}

/** One conformance scenario: a plain async function over a harness. */
export interface Scenario {
  /** Stable id, e.g. `progress-ordering`. */
  readonly id: string;
  readonly title: string;
  readonly eras: readonly Era[];
  readonly spec: readonly SpecReference[];
  /** Transport capabilities the scenario needs; missing ones exclude it with `reason`. */
  readonly requires?: ReadonlyArray<keyof TransportCapabilities>;
  run(harness: Harness): Promise<void>;
}
