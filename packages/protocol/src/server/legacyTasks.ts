import type { DiagnosticHandler } from '../diagnostics.js';
import { ProtocolError } from '../errors.js';
import type { ServerCapabilities } from '../schemas/primitives.js';
import type { CallToolResult } from '../schemas/results.js';
import { PaginatedRequestParamsSchema } from '../schemas/requests.js';
import { TaskIdRequestParamsSchema } from '../schemas/tasks.js';
import { LEGACY_TASKS_REVISION, legacyTaskOf, RELATED_TASK_META } from '../tasks/legacyTask.js';
import { isTerminal, TASKS_EXTENSION, type CreateTaskResult, type DetailedTask } from '../tasks/taskState.js';
import { parseParams } from '../validate.js';
import { inputSource, relayInput } from './legacyTaskInput.js';
import { deliverTo, prepareOutbound, type Recipient } from './recipients.js';
import type { CallInfo, ServerCore } from './serverCore.js';
import type { ServerConnection } from './serverConnection.js';

/** What a 2025-11-25 client asked for with `params.task` (2025-11-25 tasks §Task Parameters). */
export interface LegacyTaskRequest {
  /** Requested lifetime in milliseconds. */
  readonly ttl: number | undefined;
}

/** Whether the server serves 2025-11-25 tasks: it has tools that may run as tasks (the same ones the extension serves). */
function offersTasks(capabilities: ServerCapabilities): boolean {
  return (capabilities.extensions as Record<string, unknown> | undefined)?.[TASKS_EXTENSION] !== undefined;
}

/** The capabilities a legacy `initialize` answers: with the 2025-11-25 `tasks` slot when the session speaks that revision. */
export function legacyCapabilities(capabilities: ServerCapabilities, protocolVersion: string): ServerCapabilities {
  if (protocolVersion !== LEGACY_TASKS_REVISION || !offersTasks(capabilities) || capabilities.tasks !== undefined) return capabilities;
  return { ...capabilities, tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } };
}

/** Whether this legacy connection may use 2025-11-25 tasks. */
export function legacyTasksOffered(core: ServerCore, connection: ServerConnection): boolean {
  return connection.sessionInfo().protocolVersion === LEGACY_TASKS_REVISION && offersTasks(core.capabilities());
}

/** The task a legacy `tools/call` asked for, when the session may ask for one. */
export function legacyTaskRequest(core: ServerCore, connection: ServerConnection, params: Record<string, unknown> | undefined): LegacyTaskRequest | undefined {
  const task = params?.task;
  if (typeof task !== 'object' || task === null || !legacyTasksOffered(core, connection)) return undefined;
  const ttl = (task as { ttl?: unknown }).ttl;
  return { ttl: typeof ttl === 'number' && Number.isInteger(ttl) && ttl > 0 ? ttl : undefined };
}

/**
 * Refuses a legacy `tools/call` whose task augmentation does not fit the tool
 * (2025-11-25 tasks §Tool-Level Negotiation): −32601 for a task of a tool
 * that forbids them, and for a plain call of a tool that requires one.
 */
export function checkLegacyToolCall(core: ServerCore, call: CallInfo, name: string): void {
  if (call.envelope || call.taskSupport === undefined) return;
  if (call.legacyTask && call.taskSupport === 'forbidden') throw new ProtocolError('MethodNotFound', `Tool ${name} does not run as a task`);
  if (!call.legacyTask && call.taskSupport === 'required' && legacyTasksOffered(core, call.connection)) {
    throw new ProtocolError('MethodNotFound', `Tool ${name} runs only as a task: call it with params.task`);
  }
}

/** The 2025-11-25 `CreateTaskResult` of a legacy task call: a tool that answered at once still answers with a (finished) task. */
export async function legacyCreateTaskResult(core: ServerCore, call: CallInfo, outcome: CallToolResult | CreateTaskResult): Promise<Record<string, unknown>> {
  const created =
    'resultType' in outcome && outcome.resultType === 'task'
      ? (outcome as CreateTaskResult)
      : await core.tasks.record(outcome as Record<string, unknown>, call.connection.sessionId, call.legacyTask?.ttl === undefined ? {} : { ttlMs: call.legacyTask.ttl });
  const { resultType: _task, ...task } = created;
  return { task: legacyTaskOf(task as DetailedTask) };
}

/**
 * A task as the caller may see it: a task a legacy session asked for belongs
 * to that session alone (2025-11-25 tasks §security); an unknown one, or one
 * of another session, is −32602.
 */
async function visibleTask(core: ServerCore, call: CallInfo, taskId: string): Promise<DetailedTask> {
  const owner = await core.tasks.ownerOf(taskId);
  if (owner !== undefined && (call.envelope !== undefined || owner !== call.connection.sessionId)) {
    throw new ProtocolError('InvalidParams', 'Failed to retrieve task: Task not found', { data: { taskId } });
  }
  return core.tasks.get(taskId);
}

/** `tasks/get`, `tasks/result`, `tasks/list` and `tasks/cancel` of 2025-11-25, on legacy sessions. */
export const legacyTaskMethods = {
  /**
   * The calling session's own tasks, a page at a time (2025-11-25 tasks §Task
   * Listing): what `tasks/get` lets it read, and nothing of other sessions.
   */
  async list(core: ServerCore, params: Record<string, unknown> | undefined, call: CallInfo): Promise<unknown> {
    const { cursor } = parseParams(PaginatedRequestParamsSchema, params);
    const page = await core.tasks.list(call.connection.sessionId, cursor);
    return { tasks: page.tasks.map(legacyTaskOf), ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }) };
  },

  async get(core: ServerCore, params: Record<string, unknown> | undefined, call: CallInfo): Promise<unknown> {
    return legacyTaskOf(await visibleTask(core, call, parseParams(TaskIdRequestParamsSchema, params).taskId));
  },

  /** Blocks until the task is terminal, then answers what the tool call would have (2025-11-25 tasks §Result Retrieval). */
  async result(core: ServerCore, params: Record<string, unknown> | undefined, call: CallInfo): Promise<unknown> {
    const { taskId } = parseParams(TaskIdRequestParamsSchema, params);
    await visibleTask(core, call, taskId);
    await relayInput(core, inputSource(core, taskId, call.inbound.signal), call);
    const task = await core.tasks.settled(taskId, call.inbound.signal);
    if (task.status === 'failed') throw ProtocolError.fromWire(task.error);
    if (task.status !== 'completed') throw new ProtocolError('InvalidRequest', `Task ${taskId} was cancelled: it has no result`);
    const meta = task.result._meta as Record<string, unknown> | undefined;
    return { ...task.result, _meta: { ...meta, [RELATED_TASK_META]: { taskId } } };
  },

  /** Cancels a task that is not over; a terminal one is −32602 (2025-11-25 tasks §Task Cancellation). */
  async cancel(core: ServerCore, params: Record<string, unknown> | undefined, call: CallInfo): Promise<unknown> {
    const { taskId } = parseParams(TaskIdRequestParamsSchema, params);
    if (isTerminal(await visibleTask(core, call, taskId))) throw new ProtocolError('InvalidParams', `Task ${taskId} is already over`);
    await core.tasks.cancel(taskId);
    return legacyTaskOf(await core.tasks.get(taskId));
  },
};

/**
 * Publishes each change of a task: `notifications/tasks` to the listen
 * subscriptions naming it, and `notifications/tasks/status` to the legacy
 * session that asked for it (2025-11-25 tasks §Task Status Notification).
 */
export function taskPublisher(
  recipients: ReadonlyMap<string, Recipient>,
  broadcast: (method: string, params: Record<string, unknown>) => Promise<number>,
  report: DiagnosticHandler,
): (task: DetailedTask, owner: string | undefined) => void {
  return (task, owner) => {
    void broadcast('notifications/tasks', task as unknown as Record<string, unknown>);
    const session = owner === undefined ? undefined : recipients.get(owner);
    if (session) void deliverTo(session, prepareOutbound('notifications/tasks/status', legacyTaskOf(task) as Record<string, unknown>), report);
  };
}
