import { ProtocolError } from '../errors.js';
import type { ClientCapabilities, ServerCapabilities } from '../schemas/primitives.js';
import { TaskIdRequestParamsSchema, UpdateTaskRequestParamsSchema } from '../schemas/tasks.js';
import { TASKS_EXTENSION } from '../tasks/taskState.js';
import { parseParams } from '../validate.js';
import { legacyTaskMethods, legacyTasksOffered } from './legacyTasks.js';
import type { CallInfo, MethodHandler, ServerCore } from './serverCore.js';

/** How a tool may run as a task: never, when the client declared the extension, or only as a task. */
export type TaskSupport = 'forbidden' | 'optional' | 'required';

/** Whether these capabilities declare the tasks extension (ext-tasks §Capability Negotiation). */
export function declaresTasks(capabilities: ClientCapabilities | undefined): boolean {
  const extensions = capabilities?.extensions as Record<string, unknown> | undefined;
  return typeof extensions?.[TASKS_EXTENSION] === 'object' && extensions[TASKS_EXTENSION] !== null;
}

/** The −32021 error naming the tasks extension (ext-tasks §Capability Negotiation, §Protocol Errors). */
export function tasksCapabilityMissing(what: string): ProtocolError {
  return new ProtocolError('MissingRequiredClientCapability', `Missing required client capability: ${what} needs the ${TASKS_EXTENSION} extension`, {
    data: { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } },
  });
}

/** Adds the tasks extension to derived capabilities when some tool may run as a task. */
export function withTasksExtension(capabilities: ServerCapabilities, anyTaskTool: boolean): ServerCapabilities {
  const extensions = capabilities.extensions as Record<string, unknown> | undefined;
  if (!anyTaskTool || extensions?.[TASKS_EXTENSION] !== undefined) return capabilities;
  return { ...capabilities, extensions: { ...extensions, [TASKS_EXTENSION]: {} } };
}

/**
 * Checks a modern tasks/* request: only from a client that declared the
 * extension on this request (ext-tasks §Protocol Errors).
 */
function gate(call: CallInfo): void {
  if (call.envelope && !declaresTasks(call.envelope.clientCapabilities)) throw tasksCapabilityMissing(call.inbound.method);
}

/** The task id of a modern tasks/* request; a task a legacy session asked for is that session's alone (−32602). */
async function modernTaskId(core: ServerCore, taskId: string): Promise<string> {
  if ((await core.tasks.ownerOf(taskId)) !== undefined) throw new ProtocolError('InvalidParams', 'Failed to retrieve task: Task not found', { data: { taskId } });
  return taskId;
}

/** A method of one era only: −32601 in the other, and on legacy sessions that do not speak 2025-11-25 tasks. */
function legacyOnly(core: ServerCore, handler: MethodHandler): MethodHandler {
  return (params, ctx, call) => {
    if (call.envelope || !legacyTasksOffered(core, call.connection)) throw new ProtocolError('MethodNotFound', `Method not found: ${call.inbound.method}`);
    return handler(params, ctx, call);
  };
}

/**
 * `tasks/get`, `tasks/update` and `tasks/cancel` of the extension, and on
 * 2025-11-25 sessions `tasks/get`, `tasks/result`, `tasks/list` and
 * `tasks/cancel` of that revision; `tasks/update` is modern only,
 * `tasks/result` and `tasks/list` legacy only (the extension has no listing).
 */
export function taskMethods(core: ServerCore): Array<[string, MethodHandler]> {
  const legacy = (method: keyof typeof legacyTaskMethods): MethodHandler =>
    legacyOnly(core, (params, _ctx, call) => legacyTaskMethods[method](core, params, call));
  return [
    [
      'tasks/get',
      async (params, ctx, call) => {
        if (!call.envelope) return legacy('get')(params, ctx, call);
        gate(call);
        return core.tasks.get(await modernTaskId(core, parseParams(TaskIdRequestParamsSchema, params).taskId));
      },
    ],
    ['tasks/result', legacy('result')],
    ['tasks/list', legacy('list')],
    [
      'tasks/update',
      async (params, _ctx, call) => {
        if (!call.envelope) throw new ProtocolError('MethodNotFound', 'Method not found: tasks/update');
        gate(call);
        const { taskId, inputResponses } = parseParams(UpdateTaskRequestParamsSchema, params);
        await core.tasks.update(await modernTaskId(core, taskId), inputResponses);
        return {};
      },
    ],
    [
      'tasks/cancel',
      async (params, ctx, call) => {
        if (!call.envelope) return legacy('cancel')(params, ctx, call);
        gate(call);
        await core.tasks.cancel(await modernTaskId(core, parseParams(TaskIdRequestParamsSchema, params).taskId));
        return {};
      },
    ],
  ];
}
