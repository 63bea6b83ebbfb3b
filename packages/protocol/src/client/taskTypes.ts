import type { RequestOptions } from '../engine/requestOptions.js';
import type { CallToolResult } from '../schemas/results.js';
import type { TaskState } from '../tasks/taskState.js';

/**
 * A task's status as a client sees it, in either era: the extension's fields
 * (a 2025-11-25 server's `ttl` and `pollInterval` are read as `ttlMs` and
 * `pollIntervalMs`). The result, error and input requests are not here: the
 * handle's `result` carries the outcome and the client answers input itself.
 */
export interface TaskStatusUpdate {
  /** The server's id of the task. */
  readonly taskId: string;
  /** working, input_required, completed, failed or cancelled. */
  readonly status: TaskState;
  /** The server's note on the current state, if any. */
  readonly statusMessage?: string;
  /** ISO 8601, when the task was created. */
  readonly createdAt: string;
  /** ISO 8601, when the task last changed. */
  readonly lastUpdatedAt: string;
  /** Time-to-live from creation in milliseconds; null for unlimited. */
  readonly ttlMs: number | null;
  /** The polling interval the server suggests, in milliseconds. */
  readonly pollIntervalMs?: number;
}

/**
 * A tool call running as a task (`callTool(name, args, { task: true })`, or
 * `watchTask(taskId)` for a task made by an earlier connection). Its status
 * comes pushed (`notifications/tasks` through the listen subscription, when
 * the server offers the extension) or polled (`tasks/get`); input the task
 * asks for is answered with the client's own elicitation, sampling and roots
 * handlers. Observing stops once the task is terminal or the client closes.
 */
export interface ToolTask {
  /** The server's id of the task; undefined when the server answered the call at once, without a task. */
  readonly taskId: string | undefined;
  /** The last status seen; undefined when the call had no task. */
  readonly status: TaskStatusUpdate | undefined;
  /**
   * Resolves with the tool's result once the task completed (a result with
   * `isError` included). Rejects with a ProtocolError: the task's own error
   * when it failed, RequestCancelled when it was cancelled, InvalidParams
   * when the server no longer knows it (expired), ConnectionClosed when the
   * client closed first. Reading it is optional: an unread rejection is not
   * reported as unhandled.
   */
  readonly result: Promise<CallToolResult>;
  /**
   * Calls `listener` with each new status, in order (a status seen twice, by
   * push and by poll, is delivered once). Returns the function that removes
   * it. A listener that throws is reported as a diagnostic.
   */
  onStatus(listener: (status: TaskStatusUpdate) => void): () => void;
  /**
   * Asks the server to cancel the task (`tasks/cancel`). Resolves once the
   * server acknowledged; cancellation is cooperative, so `result` settles
   * with the task's terminal state (RequestCancelled, or its result when the
   * work finished first). A no-op without a task or once it settled.
   */
  cancel(): Promise<void>;
}

/** How a task handle observes its task. */
export interface TaskObserveOptions {
  /**
   * Milliseconds between two `tasks/get` while the status is not pushed.
   * @default the server's `pollIntervalMs` (at least 100, at most 60 000), else 1000
   */
  readonly pollIntervalMs?: number;
}

/** Options of `callTool(name, args, { task: true, … })`: a request's options plus the task's. */
export interface TaskCallOptions extends RequestOptions, TaskObserveOptions {
  /** Asks for a task: the call resolves with a {@link ToolTask} once the server answered. */
  readonly task: true;
  /**
   * The lifetime to ask for (2025-11-25 servers only; in the extension the
   * server alone decides).
   */
  readonly ttlMs?: number;
}
