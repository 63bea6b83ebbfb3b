import type { CreateTaskResult } from '../tasks/taskState.js';
import type { RunAsTaskOptions, TaskContext } from '../tasks/taskContext.js';
import type { CallToolResult } from '../schemas/results.js';
import { toolResultOf } from './catalog.js';
import type { ToolOutput } from './definitions.js';
import type { CallInfo, ServerCore } from './serverCore.js';
import { declaresTasks } from './taskMethods.js';
import type { RequestContext } from './types.js';

/** The work of a tool that may run as a task: what a tool handler returns, minus a task of its own. */
export type ToolWork = (task: TaskContext) => Exclude<ToolOutput, CreateTaskResult> | Promise<Exclude<ToolOutput, CreateTaskResult>>;

/**
 * Builds `ctx.runAsTask` for one request. The work becomes a task when the
 * request is a modern `tools/call` of a tool declaring task support and the
 * request declared the extension (ext-tasks: the server decides, per
 * request, and never answers a task to a client that did not declare it);
 * otherwise it runs inline and its result is the request's.
 */
export function runAsTaskFor(core: ServerCore, call: CallInfo, ctx: () => RequestContext) {
  return async (work: ToolWork, options?: RunAsTaskOptions): Promise<CallToolResult | CreateTaskResult> => {
    const { envelope } = call;
    if ((call.taskSupport ?? 'forbidden') !== 'forbidden') {
      if (envelope && declaresTasks(envelope.clientCapabilities)) {
        return core.tasks.start((task) => settleTool(work, task), envelope.clientCapabilities, options);
      }
      // A 2025-11-25 client asked for the task itself (params.task), with the lifetime it wants.
      if (!envelope && call.legacyTask) {
        const ttl = call.legacyTask.ttl === undefined ? {} : { ttlMs: call.legacyTask.ttl };
        const session = call.connection.sessionInfo();
        return core.tasks.start((task) => settleTool(work, task), session.clientCapabilities, { ...options, ...ttl }, session.id);
      }
    }
    return settleTool(work, inlineContext(ctx()));
  };
}

/** Runs a tool's work as `tools/call` would: its output as a result, a thrown non-protocol error as an `isError` result. */
async function settleTool(work: ToolWork, task: TaskContext): Promise<CallToolResult> {
  try {
    return toolResultOf(await work(task));
  } catch (error) {
    return toolResultOf(error, true);
  }
}

/** The task context of work that runs inline: input goes the request's own way; status messages nowhere. */
function inlineContext(ctx: RequestContext): TaskContext {
  return {
    taskId: undefined,
    get signal() {
      return ctx.signal;
    },
    setStatusMessage: async () => {},
    elicit: (params, options) => ctx.elicit(params, options),
    sample: (params, options) => ctx.sample(params, options),
    listRoots: (options) => ctx.listRoots(options),
  };
}
