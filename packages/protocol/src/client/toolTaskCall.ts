import type { RequestOptions } from '../engine/requestOptions.js';
import { ProtocolError } from '../errors.js';
import { TaskSchema } from '../schemas/primitives.js';
import { CallToolResultSchema } from '../schemas/results.js';
import { CreateTaskResultSchema } from '../schemas/tasks.js';
import { declaresTasks } from '../server/taskMethods.js';
import { TASKS_EXTENSION } from '../tasks/taskState.js';
import { parseParams } from '../validate.js';
import { finishedToolTask, type ClientTasks } from './clientTasks.js';
import type { ClientIdentity, Negotiated } from './negotiateEra.js';
import type { TaskCallOptions, ToolTask } from './taskTypes.js';

/** Sends one request in the negotiated era (input rounds included) and resolves with its raw result; `withTasks` declares the extension on it. */
export type RawRequest = (
  method: string,
  params: Record<string, unknown> | undefined,
  options?: RequestOptions,
  withTasks?: boolean,
) => Promise<Record<string, unknown> | undefined>;

/** The identity with the tasks extension among its capabilities (the same object when it already declares it). */
export function declaringTasks(identity: ClientIdentity): ClientIdentity {
  if (declaresTasks(identity.capabilities)) return identity;
  const extensions = identity.capabilities.extensions as Record<string, unknown> | undefined;
  return { ...identity, capabilities: { ...identity.capabilities, extensions: { ...extensions, [TASKS_EXTENSION]: {} } } };
}

/** Whether the server offers the extension in the modern era, so task statuses can come through the listen subscription. */
export function serverPushesTasks(negotiated: Negotiated): boolean {
  const extensions = negotiated.serverCapabilities.extensions as Record<string, unknown> | undefined;
  return negotiated.era === 'modern' && extensions?.[TASKS_EXTENSION] !== undefined;
}

/** Whether a 2025-11-25 server takes task-augmented tools/call (2025-11-25 tasks §Capabilities). */
function legacyTasksOffered(negotiated: Negotiated): boolean {
  const tasks = negotiated.serverCapabilities.tasks as { requests?: { tools?: { call?: unknown } } } | undefined;
  return tasks?.requests?.tools?.call !== undefined;
}

/** What {@link callToolAsTask} needs from its client. */
export interface ToolTaskCallHost {
  readonly send: RawRequest;
  readonly tasks: ClientTasks;
  readonly negotiated: Negotiated;
}

/**
 * Calls a tool asking for a task: in the modern era by declaring the
 * extension on the request (the server decides), in 2025-11-25 with
 * `params.task` when the server offers tasks (otherwise a plain call). The
 * answer is a task to follow, or the result itself.
 */
export async function callToolAsTask(host: ToolTaskCallHost, params: Record<string, unknown>, options: TaskCallOptions): Promise<ToolTask> {
  const { task: _task, pollIntervalMs, ttlMs, ...requestOptions } = options;
  const observe = pollIntervalMs === undefined ? {} : { pollIntervalMs };
  const legacy = host.negotiated.era === 'legacy';
  let raw: Record<string, unknown> | undefined;
  let handle: ToolTask;
  if (legacy) {
    const offered = legacyTasksOffered(host.negotiated);
    raw = await host.send('tools/call', offered ? { ...params, task: ttlMs === undefined ? {} : { ttl: ttlMs } } : params, requestOptions);
    // 2025-11-25 CreateTaskResult: `{ task }` and no content (§Creating Tasks).
    if (!offered || typeof raw?.task !== 'object' || raw.content !== undefined) return finishedToolTask(parseParams(CallToolResultSchema, raw, 'tools/call result'));
    const created = parseParams(TaskSchema, raw.task, 'CreateTaskResult task');
    handle = host.tasks.watch(created.taskId, true, observe, created);
  } else {
    raw = await host.send('tools/call', params, requestOptions, true);
    if (raw?.resultType !== 'task') return finishedToolTask(parseParams(CallToolResultSchema, raw, 'tools/call result'));
    const created = parseParams(CreateTaskResultSchema, raw, 'CreateTaskResult');
    handle = host.tasks.watch(created.taskId, false, observe, created);
  }
  // The caller's signal outlives the request: aborting it later cancels the task.
  const signal = requestOptions.signal;
  if (signal) {
    const cancel = (): void => void handle.cancel().catch(() => {});
    if (signal.aborted) cancel();
    else {
      signal.addEventListener('abort', cancel, { once: true });
      void handle.result.catch(() => {}).finally(() => signal.removeEventListener('abort', cancel));
    }
  }
  return handle;
}

/** The error of a CreateTaskResult that answered a request which cannot carry one (ext-tasks §Capability Negotiation). */
export function unexpectedTask(method: string): ProtocolError {
  return new ProtocolError('InvalidParams', `Invalid ${method} result: a CreateTaskResult answers only a tools/call that declared the tasks extension`);
}
