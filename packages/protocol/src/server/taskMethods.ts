import { ProtocolError } from '../errors.js';
import type { ClientCapabilities, ServerCapabilities } from '../schemas/primitives.js';
import { TaskIdRequestParamsSchema, UpdateTaskRequestParamsSchema } from '../schemas/tasks.js';
import { TASKS_EXTENSION } from '../tasks/taskState.js';
import { parseParams } from '../validate.js';
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
 * Checks a tasks/* request: modern only (the 2025-11-25 tasks of the legacy
 * era are not served yet), and only from a client that declared the
 * extension on this request (ext-tasks §Protocol Errors).
 */
function gate(call: CallInfo): void {
  if (!call.envelope) throw new ProtocolError('MethodNotFound', `Method not found: ${call.inbound.method}`);
  if (!declaresTasks(call.envelope.clientCapabilities)) throw tasksCapabilityMissing(call.inbound.method);
}

/** `tasks/get`, `tasks/update` and `tasks/cancel`; `tasks/result` and `tasks/list` do not exist any more (−32601). */
export function taskMethods(core: ServerCore): Array<[string, MethodHandler]> {
  return [
    [
      'tasks/get',
      (params, _ctx, call) => {
        gate(call);
        return core.tasks.get(parseParams(TaskIdRequestParamsSchema, params).taskId);
      },
    ],
    [
      'tasks/update',
      async (params, _ctx, call) => {
        gate(call);
        const { taskId, inputResponses } = parseParams(UpdateTaskRequestParamsSchema, params);
        await core.tasks.update(taskId, inputResponses);
        return {};
      },
    ],
    [
      'tasks/cancel',
      async (params, _ctx, call) => {
        gate(call);
        await core.tasks.cancel(parseParams(TaskIdRequestParamsSchema, params).taskId);
        return {};
      },
    ],
  ];
}
