import type { SharedSessionStart } from '../session/sharedSession.js';
import type { Clock } from '../clock.js';
import type { Era } from '../constants.js';
import type { NotificationTarget, ParamsInput } from '../defineNotification.js';
import type { DiagnosticHandler } from '../diagnostics.js';
import type { TransportError } from '../errors.js';
import type { RequestOptions } from '../engine/requestOptions.js';
import type { RequestId } from '../schemas/jsonrpc.js';
import type { ClientCapabilities, Implementation, LoggingLevel, Root, ServerCapabilities } from '../schemas/primitives.js';
import type { CreateMessageRequestParams, ElicitRequestParams } from '../schemas/requests.js';
import type { CallToolResult, CreateMessageResult, ElicitResult } from '../schemas/results.js';
import type { ClusterOptions } from '../cluster/clusterOptions.js';
import type { RunAsTaskOptions } from '../tasks/taskContext.js';
import type { TaskOptions } from '../tasks/taskRuntime.js';
import type { CreateTaskResult } from '../tasks/taskState.js';
import type { ToolWork } from './runAsTask.js';

// What servers register (tools, resources, prompts) has a file of its own; it is part of this module's surface.
export type {
  PromptDefinition,
  PromptHandler,
  Registration,
  ResourceDefinition,
  ResourceOutput,
  ResourceReader,
  ResourceTemplateDefinition,
  ToolDefinition,
  ToolHandler,
  ToolOutput,
} from './definitions.js';

/** Options of `createServer`. */
export interface ServerOptions {
  /**
   * Capabilities to declare. Unset members are derived: tools, resources and
   * prompts when something is registered (with `listChanged`, and resources
   * with `subscribe`), logging always.
   */
  readonly capabilities?: ServerCapabilities;
  /** Guidance for the model, sent in `initialize` and `server/discover` results. */
  readonly instructions?: string;
  /** Timers and time. @default systemClock */
  readonly clock?: Clock;
  /** Dropped messages and user-callback failures. */
  readonly onDiagnostic?: DiagnosticHandler;
  /** Transport faults that did not close a connection (an oversized line, a write error), with the session they hit. */
  readonly onError?: (error: TransportError, sessionId: string) => void;
  /**
   * Window in which list changes are merged into one list_changed per
   * recipient; the last change is always delivered.
   * @default 10
   */
  readonly listChangedDebounceMs?: number;
  /** Send the message of unexpected handler exceptions to clients. @default false */
  readonly exposeInternalErrors?: boolean;
  /** Session ids for legacy sessions and listen subscriptions. @default crypto.randomUUID */
  readonly generateSessionId?: () => string;
  /** Cache hints put on modern list/read results. @default { ttlMs: 0, cacheScope: 'private' } */
  readonly cacheHints?: { readonly ttlMs: number; readonly cacheScope: 'public' | 'private' };
  /**
   * HMAC key of the `requestState` that modern multi round-trip requests
   * carry through the client (`ctx.elicit`, `ctx.sample`, `ctx.listRoots`
   * on a modern request). Servers that share clients, behind a load
   * balancer, must share it. @default a random key per server
   */
  readonly requestStateSecret?: string | Uint8Array;
  /** Where tasks are kept and their defaults (`io.modelcontextprotocol/tasks`). @default an in-memory store */
  readonly tasks?: TaskOptions;
  /**
   * Joins the other nodes of a deployment: every server-initiated
   * notification reaches every node's recipients (PROTOCOL.md §cluster).
   * @default none: one process, nothing published
   */
  readonly cluster?: ClusterOptions;
}

/**
 * A live recipient of server-initiated notifications: a legacy session or a
 * modern listen subscription (PROTOCOL.md §recipients).
 */
export interface SessionInfo {
  /** Id to pass to `notify` and `listRoots`. */
  readonly id: string;
  /** The era of the recipient: a legacy session or a modern listen subscription. */
  readonly era: Era;
  /** `session` for a legacy session, `listen` for a modern subscription. */
  readonly kind: 'session' | 'listen';
  /** Wire name: `memory`, `stdio`, `websocket`, `sse`, `streamable-http`. */
  readonly transport: string;
  /** The revision negotiated (legacy) or named on the listen request (modern). */
  readonly protocolVersion: string;
  /** What the client said it is; undefined when it did not say. */
  readonly clientInfo: Implementation | undefined;
  /** The capabilities the client declared. */
  readonly clientCapabilities: ClientCapabilities;
  /** Epoch milliseconds from the server's clock. */
  readonly createdAt: number;
  /** Epoch milliseconds of the last message from this client. */
  readonly lastSeenAt: number;
}

/** Who sent the request being handled. */
export interface PeerInfo {
  /** The era of the request being handled. */
  readonly era: Era;
  /** Legacy session id; undefined for a modern (stateless) request. */
  readonly sessionId: string | undefined;
  /** The revision of the request (modern) or of the session (legacy). */
  readonly protocolVersion: string;
  /** What the client said it is, if it did. */
  readonly clientInfo: Implementation | undefined;
  /** The capabilities the client declared for this request (modern) or session (legacy). */
  readonly clientCapabilities: ClientCapabilities;
  /** Wire name: `memory`, `stdio`, `websocket`, `sse`, `streamable-http`. */
  readonly transport: string;
}

/** Options of `ctx.sample`. */
export interface SampleOptions extends RequestOptions, InputOptions {
  /**
   * Interval of the progress heartbeats sent to the caller of the tool while
   * the client samples, so its timeout does not fire. 0 disables them.
   * @default 5000
   */
  readonly heartbeatMs?: number;
}

/**
 * What every handler gets (tools, resources, prompts, custom requests). All
 * notification methods resolve to whether the message went out.
 */
export interface RequestContext {
  /** The JSON-RPC id of the request being handled. */
  readonly requestId: RequestId;
  /** Aborted when the client cancels or disconnects. */
  readonly signal: AbortSignal;
  /** Who sent the request. */
  readonly peer: PeerInfo;
  /**
   * Reports progress to the caller (PROTOCOL.md §progress). Rejects with
   * InvalidParams, sending nothing, when `progress` is not a finite number or
   * `total` is not a finite number ≥ 0; otherwise a no-op when the caller gave
   * no token or after the response, and rejects when `progress` does not increase.
   */
  reportProgress(progress: number, total?: number, message?: string): Promise<void>;
  /**
   * Sends a log message on this request's stream. Legacy: filtered by the
   * session's level; modern: only when the request carried a log level.
   * Resolves false when filtered out.
   */
  log(level: LoggingLevel, data: unknown, logger?: string): Promise<boolean>;
  /** `log` at level debug. */
  debug(data: unknown, logger?: string): Promise<boolean>;
  /** `log` at level info. */
  info(data: unknown, logger?: string): Promise<boolean>;
  /** `log` at level notice. */
  notice(data: unknown, logger?: string): Promise<boolean>;
  /** `log` at level warning. */
  warning(data: unknown, logger?: string): Promise<boolean>;
  /** `log` at level error. */
  error(data: unknown, logger?: string): Promise<boolean>;
  /** `log` at level critical. */
  critical(data: unknown, logger?: string): Promise<boolean>;
  /** `log` at level alert. */
  alert(data: unknown, logger?: string): Promise<boolean>;
  /** `log` at level emergency. */
  emergency(data: unknown, logger?: string): Promise<boolean>;
  /**
   * Sends a notification on this request's stream. Resolves false when the
   * era forbids it there (modern change notifications travel on listen streams).
   */
  notify<T extends NotificationTarget>(target: T, params?: ParamsInput<T>): Promise<boolean>;
  /** Server-wide list_changed, coalesced; resolves to the number of recipients reached. */
  sendToolListChanged(): Promise<number>;
  /** Server-wide resources/list_changed, coalesced; resolves to the number of recipients reached. */
  sendResourceListChanged(): Promise<number>;
  /** Server-wide prompts/list_changed, coalesced; resolves to the number of recipients reached. */
  sendPromptListChanged(): Promise<number>;
  /** Asks the client for its roots (legacy sessions whose client declared `roots`). */
  listRoots(options?: InputOptions): Promise<Root[]>;
  /**
   * Asks the client to sample an LLM. Legacy: a server→client request, with
   * progress heartbeats to the caller meanwhile. Modern: an input request of
   * a multi round-trip request (see {@link InputOptions}).
   */
  sample(params: CreateMessageRequestParams, options?: SampleOptions): Promise<CreateMessageResult>;
  /** Asks the user for input through the client; both eras as `sample`. */
  elicit(params: ElicitRequestParams, options?: ElicitOptions): Promise<ElicitResult>;
  /**
   * Runs `work` as a task (`io.modelcontextprotocol/tasks`) when this is a
   * modern `tools/call` of a tool declaring `execution.taskSupport` and the
   * request declared the extension: resolves at once with the
   * `CreateTaskResult` (return it), once the task is stored, and `work` runs
   * after. Otherwise `work` runs inline and this resolves with its result.
   * Input asked before this call is a multi round-trip request of the
   * original request; input asked by `work` in a task is the task's own.
   */
  runAsTask(work: ToolWork, options?: RunAsTaskOptions): Promise<CallToolResult | CreateTaskResult>;
}

/**
 * Options of the calls that need input from the client. On a modern
 * `tools/call`, `prompts/get` or `resources/read` they are multi round-trip
 * requests (2026-07-28 mrtr): the first call of an input the client has not
 * given yet ends this run of the handler, the client answers and sends the
 * request again, and the handler runs again from the start, this time
 * getting the answer. Code before such a call therefore runs once per round:
 * keep it free of side effects, or do them after the inputs are in.
 */
export interface InputOptions {
  /**
   * The key of this input in `inputRequests`/`inputResponses`.
   * @default `elicitation-N`, `sampling-N` or `roots-N`, counted in call order
   */
  readonly key?: string;
}

/** Options of `ctx.elicit`. */
export interface ElicitOptions extends RequestOptions, InputOptions {}


/** Options of `server.connect`. */
export interface ConnectOptions {
  /**
   * Serve this connection as a legacy client served without a session (an
   * HTTP server in stateless legacy mode): it starts initialized at this
   * revision, and, since nothing can reach it between requests, it is never a
   * recipient of server-initiated notifications.
   */
  readonly statelessLegacy?: { readonly protocolVersion?: string };
  /**
   * Serve this connection as a legacy session another node opened (its
   * transport sets `shared`; PROTOCOL.md §shared-sessions): it starts in the
   * stored state, and is a recipient of server-initiated notifications only
   * on the session's home node.
   */
  readonly shared?: SharedSessionStart;
}

/** Options of `broadcast`. */
export interface BroadcastOptions {
  /** Only recipients for which this returns true. */
  readonly filter?: (session: SessionInfo) => boolean;
}
