import type { Clock } from '../clock.js';
import type { DiagnosticHandler } from '../diagnostics.js';
import type { InboundRequestContext } from '../engine/inboundRequest.js';
import type { ModernEnvelope } from '../era/modernEnvelope.js';
import type { Implementation, Root, ServerCapabilities } from '../schemas/primitives.js';
import type { InputRound } from './inputRound.js';
import type { ListKind } from './listChangedCoalescer.js';
import type { Recipient } from './recipients.js';
import type { RequestStateSealer } from './requestState.js';
import type { TaskRuntime } from '../tasks/taskRuntime.js';
import type { TaskSupport } from './taskMethods.js';
import type { LegacyTaskRequest } from './legacyTasks.js';
import type { ServerConnection } from './serverConnection.js';
import type { SharedSessions } from './sharedSessions.js';
import type { RequestContext, ServerOptions, SessionInfo } from './types.js';

/** How one request reached a handler: its connection, era and envelope. */
export interface CallInfo {
  readonly connection: ServerConnection;
  readonly inbound: InboundRequestContext;
  /** Present on modern requests. */
  readonly envelope: ModernEnvelope | undefined;
  /** Present on modern requests that may need input from the client (multi round-trip requests). */
  readonly round?: InputRound;
  /** On `tools/call`: whether the tool may run as a task. */
  readonly taskSupport?: TaskSupport;
  /** On a legacy `tools/call` of a 2025-11-25 session: the task the client asked for with `params.task`. */
  readonly legacyTask?: LegacyTaskRequest;
}

/** Handles one method: validated by the handler itself, result returned undecorated. */
export type MethodHandler = (params: Record<string, unknown> | undefined, ctx: RequestContext, call: CallInfo) => unknown;

/**
 * The server as its connections see it: shared state and callbacks, kept
 * apart from the public `Server` API so connections stay small.
 */
export interface ServerCore {
  readonly info: Implementation;
  readonly options: ServerOptions;
  readonly clock: Clock;
  readonly report: DiagnosticHandler;
  /** Current capabilities (declared plus derived from the registries). */
  capabilities(): ServerCapabilities;
  /** Handler of a method, built-in or registered with `setRequestHandler`. */
  method(name: string): MethodHandler | undefined;
  newSessionId(): string;
  /** Seals the `requestState` of multi round-trip requests. */
  readonly requestState: RequestStateSealer;
  addRecipient(recipient: Recipient): void;
  removeRecipient(recipient: Recipient): void;
  connectionClosed(connection: ServerConnection): void;
  rootsChanged(roots: Root[], session: SessionInfo): void;
  listChanged(kind: ListKind): Promise<number>;
  /** The server's tasks. */
  readonly tasks: TaskRuntime;
  /** This node's connections of legacy sessions the cluster shares. */
  readonly shared: SharedSessions;
  /** Whether a registered tool may run as a task; `forbidden` for an unknown one. */
  toolTaskSupport(name: unknown): TaskSupport;
}
