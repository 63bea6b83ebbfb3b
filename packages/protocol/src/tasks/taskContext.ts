import type { Root } from '../schemas/primitives.js';
import type { CreateMessageRequestParams, ElicitRequestParams } from '../schemas/requests.js';
import type { CreateMessageResult, ElicitResult } from '../schemas/results.js';

/** Options of the calls of a task's work that need input from the client. */
export interface TaskInputOptions {
  /**
   * The key of this input in the task's `inputRequests` and the client's
   * `inputResponses`. Keys are unique over a task's life (ext-tasks §Task
   * Update Requests): reusing one rejects.
   * @default `elicitation-N`, `sampling-N` or `roots-N`, counted in call order
   */
  readonly key?: string;
}

/**
 * What the work of a task gets (`ctx.runAsTask(work)`). The work runs after
 * its request was answered with `CreateTaskResult`; it reports through the
 * task's status, never through progress or log notifications, which the
 * extension does not support on tasks (ext-tasks §Task Status Notifications).
 * When the work runs inline instead (the client did not declare the
 * extension, or the tool does not support tasks), the same calls go to the
 * request: input through the request's own way of asking (a server→client
 * request or a multi round-trip request), status messages nowhere.
 */
export interface TaskContext {
  /** The task's id; undefined when the work runs inline, as part of its request. */
  readonly taskId: string | undefined;
  /** Aborted when the client cancels the task (`tasks/cancel`), its TTL runs out, or the server closes. */
  readonly signal: AbortSignal;
  /**
   * Sets the task's `statusMessage` (shown with `working` and
   * `input_required`). Resolves once stored; a no-op inline.
   */
  setStatusMessage(message: string): Promise<void>;
  /**
   * Asks the user through the client. In a task: the task becomes
   * `input_required` with this request in `inputRequests` until the client
   * answers it with `tasks/update`; the promise resolves with the answer.
   * Rejects with MissingRequiredClientCapability (−32021) when the request
   * that made the task did not declare `elicitation`.
   */
  elicit(params: ElicitRequestParams, options?: TaskInputOptions): Promise<ElicitResult>;
  /** Asks the client to sample an LLM; in a task, as {@link TaskContext.elicit}. */
  sample(params: CreateMessageRequestParams, options?: TaskInputOptions): Promise<CreateMessageResult>;
  /** Asks the client for its roots; in a task, as {@link TaskContext.elicit}. */
  listRoots(options?: TaskInputOptions): Promise<Root[]>;
}

/** Options of `ctx.runAsTask`. */
export interface RunAsTaskOptions {
  /** The task's time-to-live from creation; null for unlimited. @default the server's `tasks.ttlMs` */
  readonly ttlMs?: number | null;
  /** The polling interval suggested to the client. @default the server's `tasks.pollIntervalMs` */
  readonly pollIntervalMs?: number;
  /** The first status message. */
  readonly statusMessage?: string;
}
