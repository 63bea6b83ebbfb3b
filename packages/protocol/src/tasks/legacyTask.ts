import type { Task } from '../schemas/primitives.js';
import type { DetailedTask } from './taskState.js';

/** The revision whose core spec has tasks (`basic/utilities/tasks`); older legacy revisions have none. */
export const LEGACY_TASKS_REVISION = '2025-11-25';

/** `_meta` key tying a 2025-11-25 message to its task (2025-11-25 tasks §Associating Task-Related Messages). */
export const RELATED_TASK_META = 'io.modelcontextprotocol/related-task';

/**
 * A task as 2025-11-25 shows it (`tasks/get`, `tasks/cancel`,
 * `notifications/tasks/status`, `CreateTaskResult.task`): `ttl` and
 * `pollInterval`, no inlined payload, and a tool result with `isError` counts
 * as failed (2025-11-25 tasks §Task Status), where the extension says
 * completed.
 */
export function legacyTaskOf(task: DetailedTask): Task {
  const status = task.status === 'completed' && task.result.isError === true ? 'failed' : task.status;
  return {
    taskId: task.taskId,
    status,
    ...(task.statusMessage === undefined ? {} : { statusMessage: task.statusMessage }),
    createdAt: task.createdAt,
    lastUpdatedAt: task.lastUpdatedAt,
    ttl: task.ttlMs,
    ...(task.pollIntervalMs === undefined ? {} : { pollInterval: task.pollIntervalMs }),
  };
}
