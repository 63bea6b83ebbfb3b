import { ProtocolError } from '../errors.js';

/** The extension identifier of tasks (SEP-2663), in `capabilities.extensions` on both sides. */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** Outstanding server-to-client requests of a task, keyed as the client answers them (2026-07-28 mrtr shape). */
export type TaskInputRequests = Readonly<Record<string, { readonly method: string; readonly params?: Record<string, unknown> }>>;

/** The JSON-RPC error a failed task carries. */
export interface TaskError {
  /** The JSON-RPC error number. */
  readonly code: number;
  /** What went wrong. */
  readonly message: string;
  /** Structured detail, when the error had any. */
  readonly data?: unknown;
}

/** Fields every task carries, whatever its status (ext-tasks §Tasks). */
interface TaskBase {
  /** Unguessable id minted by the server (ext-tasks §security: task ids may act as bearer tokens). */
  readonly taskId: string;
  /** Human-readable note on the current state. */
  readonly statusMessage?: string;
  /** ISO 8601, when the task was created. */
  readonly createdAt: string;
  /** ISO 8601, when the task last changed. */
  readonly lastUpdatedAt: string;
  /** Time-to-live from creation in milliseconds, null for unlimited. */
  readonly ttlMs: number | null;
  /** Suggested polling interval in milliseconds. */
  readonly pollIntervalMs?: number;
}

/**
 * A task with its status-specific payload inlined: the `DetailedTask` of
 * ext-tasks, which `tasks/get` returns and `notifications/tasks` carries. The
 * discriminant is the spec's own `status` (not `kind`) so a stored task is its
 * wire shape, with no translation layer between the store and the wire.
 */
export type DetailedTask =
  | (TaskBase & { readonly status: 'working' })
  | (TaskBase & { readonly status: 'input_required'; readonly inputRequests: TaskInputRequests })
  | (TaskBase & { readonly status: 'completed'; readonly result: Record<string, unknown> })
  | (TaskBase & { readonly status: 'failed'; readonly error: TaskError })
  | (TaskBase & { readonly status: 'cancelled' });

/** The status of a task. */
export type TaskState = DetailedTask['status'];

/**
 * What a request answers when it became a task (`CreateTaskResult`): the
 * task's base fields, flat, with `resultType: "task"` and never its result,
 * error or input requests (those live on `tasks/get`).
 */
export type CreateTaskResult = TaskBase & { readonly resultType: 'task'; readonly status: TaskState };

/** Whether the task reached a terminal status: completed, failed or cancelled. */
export function isTerminal(task: DetailedTask): boolean {
  return task.status === 'completed' || task.status === 'failed' || task.status === 'cancelled';
}

/** Options of {@link createTask}. */
export interface NewTask {
  /** The id the server minted. */
  readonly taskId: string;
  /** Epoch milliseconds of creation. */
  readonly now: number;
  /** Time-to-live from creation; null for unlimited. */
  readonly ttlMs: number | null;
  /** Suggested polling interval, if any. */
  readonly pollIntervalMs?: number;
  /** The first status message, if any. */
  readonly statusMessage?: string;
}

/** The seed state of a new task: `working` (ext-tasks §Task Status diagram). */
export function createTask({ taskId, now, ttlMs, pollIntervalMs, statusMessage }: NewTask): DetailedTask {
  const at = new Date(now).toISOString();
  return {
    taskId,
    status: 'working',
    ...(statusMessage === undefined ? {} : { statusMessage }),
    createdAt: at,
    lastUpdatedAt: at,
    ttlMs,
    ...(pollIntervalMs === undefined ? {} : { pollIntervalMs }),
  };
}

/** The base fields of `task`, stamped `now`, with a new status message when given. */
function base(task: DetailedTask, now: number, statusMessage: string | undefined): TaskBase {
  const { taskId, createdAt, ttlMs, pollIntervalMs } = task;
  const message = statusMessage ?? (task.status === 'working' || task.status === 'input_required' ? task.statusMessage : undefined);
  return {
    taskId,
    ...(message === undefined ? {} : { statusMessage: message }),
    createdAt,
    lastUpdatedAt: new Date(now).toISOString(),
    ttlMs,
    ...(pollIntervalMs === undefined ? {} : { pollIntervalMs }),
  };
}

function illegal(task: DetailedTask, to: TaskState): never {
  throw new ProtocolError('InvalidRequest', `Task ${task.taskId} is ${task.status}: it cannot become ${to}`);
}

/** Replaces the status message of a live task (working or input_required). */
export function describeTask(task: DetailedTask, statusMessage: string, now: number): DetailedTask {
  if (task.status === 'working') return { ...base(task, now, statusMessage), status: 'working' };
  if (task.status === 'input_required') return { ...base(task, now, statusMessage), status: 'input_required', inputRequests: task.inputRequests };
  return illegal(task, task.status);
}

/**
 * The task waits for the client: `inputRequests` is the full set now
 * outstanding (working → input_required, or input_required with another set).
 * An empty set is not input_required: use {@link resumeTask}.
 */
export function requireInput(task: DetailedTask, inputRequests: TaskInputRequests, now: number): DetailedTask {
  if (task.status !== 'working' && task.status !== 'input_required') return illegal(task, 'input_required');
  if (Object.keys(inputRequests).length === 0) {
    throw new ProtocolError('InternalError', `Task ${task.taskId}: input_required needs at least one input request`);
  }
  return { ...base(task, now, undefined), status: 'input_required', inputRequests };
}

/** Every input arrived: input_required → working. */
export function resumeTask(task: DetailedTask, now: number): DetailedTask {
  if (task.status !== 'input_required') return illegal(task, 'working');
  return { ...base(task, now, undefined), status: 'working' };
}

/** The work produced its result: working or input_required → completed. */
export function completeTask(task: DetailedTask, result: Record<string, unknown>, now: number): DetailedTask {
  if (isTerminal(task)) return illegal(task, 'completed');
  const { statusMessage: _dropped, ...rest } = base(task, now, undefined);
  return { ...rest, status: 'completed', result };
}

/** The work failed with a JSON-RPC error: working or input_required → failed (ext-tasks §Task Execution Errors). */
export function failTask(task: DetailedTask, error: TaskError, now: number): DetailedTask {
  if (isTerminal(task)) return illegal(task, 'failed');
  return { ...base(task, now, error.message), status: 'failed', error };
}

/** The client cancelled it (or its TTL ran out): working or input_required → cancelled. */
export function cancelTask(task: DetailedTask, now: number, statusMessage = 'Cancelled by the client'): DetailedTask {
  if (isTerminal(task)) return illegal(task, 'cancelled');
  return { ...base(task, now, statusMessage), status: 'cancelled' };
}

/** The `CreateTaskResult` of a task: its base fields and status only (ext-tasks §Task Creation). */
export function createTaskResultOf(task: DetailedTask): CreateTaskResult {
  const { taskId, status, statusMessage, createdAt, lastUpdatedAt, ttlMs, pollIntervalMs } = task;
  return {
    resultType: 'task',
    taskId,
    status,
    ...(statusMessage === undefined ? {} : { statusMessage }),
    createdAt,
    lastUpdatedAt,
    ttlMs,
    ...(pollIntervalMs === undefined ? {} : { pollIntervalMs }),
  };
}
