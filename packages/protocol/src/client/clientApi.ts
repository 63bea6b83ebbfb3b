import type { z } from 'zod';
import type { Era } from '../constants.js';
import type { NotificationTarget, ParamsOutput } from '../defineNotification.js';
import type { RequestOptions } from '../engine/requestOptions.js';
import type { Implementation, LoggingLevel, Root, ServerCapabilities, SubscriptionFilter } from '../schemas/primitives.js';
import type {
  CallToolResult,
  GetPromptResult,
  ListPromptsResult,
  ListResourceTemplatesResult,
  ListResourcesResult,
  ListToolsResult,
  ReadResourceResult,
} from '../schemas/results.js';
import type { Transport } from '../transport.js';
import type { TaskCallOptions, TaskObserveOptions, ToolTask } from './taskTypes.js';
import type { ElicitationHandler, SamplingHandler } from './types.js';

/** A Tidings MCP client: the same calls whichever era the server speaks. */
/** Options of the list methods (`listTools`, …): the request's own, and which page to read. */
export interface ListOptions extends RequestOptions {
  /** The `nextCursor` of the page before, opaque; absent for the first page. */
  readonly cursor?: string;
}

export interface Client {
  /** Connects and negotiates the era (PROTOCOL.md §negotiation). Resolves once the client can make calls. */
  connect(transport: Transport): Promise<void>;
  /** The negotiated era; undefined before `connect`. */
  readonly era: Era | undefined;
  /** The negotiated revision; undefined before `connect`. */
  readonly protocolVersion: string | undefined;
  /** What the server said it is. */
  readonly serverInfo: Implementation | undefined;
  /** The capabilities the server declared (initialize or server/discover). */
  readonly serverCapabilities: ServerCapabilities | undefined;
  /** The server's guidance for the model, if any. */
  readonly instructions: string | undefined;
  /**
   * Handles one notification method (typed for MCP methods and descriptors).
   * On a modern server the client keeps a listen subscription open for the
   * types that have handlers. Returns the function that removes the handler.
   */
  on<T extends NotificationTarget>(target: T, handler: (params: ParamsOutput<T>) => void): () => void;
  /** Resolves with the filter the server acknowledged once the listen subscription matches the handlers (modern); undefined otherwise. */
  listening(): Promise<SubscriptionFilter | undefined>;
  /**
   * Calls a tool as a task (`io.modelcontextprotocol/tasks`; 2025-11-25
   * tasks on a legacy server that offers them): resolves with the task's
   * handle once the server answered. The server decides: a call it answers
   * at once gets a handle with no `taskId` whose `result` is that answer.
   * `options.signal` cancels the request, then the task.
   */
  callTool(name: string, args: Record<string, unknown> | undefined, options: TaskCallOptions): Promise<ToolTask>;
  /**
   * Calls a tool; progress, timeouts and cancellation through `options`
   * (PROTOCOL.md §progress). A client that declared the tasks extension in
   * its capabilities may be answered with a task: the call then resolves
   * with the task's result.
   */
  callTool(name: string, args?: Record<string, unknown>, options?: RequestOptions): Promise<CallToolResult>;
  /**
   * Follows a task by id, made by this client or an earlier connection
   * (ext-tasks: a task outlives the connection that made it; 2025-11-25
   * tasks only within their session). Throws ConnectionClosed when not
   * connected.
   */
  watchTask(taskId: string, options?: TaskObserveOptions): ToolTask;
  /** Any request; the result is validated by `resultSchema`. */
  request<S extends z.ZodType>(method: string, params: Record<string, unknown> | undefined, resultSchema: S, options?: RequestOptions): Promise<z.output<S>>;
  /** Legacy only: modern servers have no ping. */
  ping(options?: RequestOptions): Promise<void>;
  /** tools/list: one page (`options.cursor`), its `nextCursor` names the next. */
  listTools(options?: ListOptions): Promise<ListToolsResult>;
  /** resources/list: one page (`options.cursor`), its `nextCursor` names the next. */
  listResources(options?: ListOptions): Promise<ListResourcesResult>;
  /** resources/templates/list: one page (`options.cursor`), its `nextCursor` names the next. */
  listResourceTemplates(options?: ListOptions): Promise<ListResourceTemplatesResult>;
  /** prompts/list: one page (`options.cursor`), its `nextCursor` names the next. */
  listPrompts(options?: ListOptions): Promise<ListPromptsResult>;
  /** resources/read. */
  readResource(uri: string, options?: RequestOptions): Promise<ReadResourceResult>;
  /** prompts/get. */
  getPrompt(name: string, args?: Record<string, string>, options?: RequestOptions): Promise<GetPromptResult>;
  /** Subscribes to a resource's updates (legacy: resources/subscribe; modern: the listen filter). */
  subscribe(uri: string): Promise<void>;
  /** Ends a resource subscription (legacy: resources/unsubscribe; modern: the listen filter). */
  unsubscribe(uri: string): Promise<void>;
  /** Legacy: logging/setLevel; modern: the `logLevel` of every later request. */
  setLogLevel(level: LoggingLevel): Promise<void>;
  /** Replaces the roots offered to the server; a legacy server is told through roots/list_changed. */
  setRoots(roots: readonly Root[]): Promise<void>;
  /** Answers sampling/createMessage from a legacy server; declare it before `connect` so the capability is sent. */
  setSamplingHandler(handler: SamplingHandler | undefined): void;
  /** Answers elicitation/create from a legacy server; declare it before `connect` so the capability is sent. */
  setElicitationHandler(handler: ElicitationHandler | undefined): void;
  /** Closes the connection; pending requests reject with ConnectionClosed. */
  close(): Promise<void>;
}
