import { TASK_STATUSES } from '../schemas/primitives.js';
import type { TaskObserveOptions, TaskStatusUpdate } from './taskTypes.js';

/** Bounds of a server-suggested polling interval: a server can neither make a client hammer it nor stall it for long. */
const MIN_POLL_MS = 100;
const MAX_POLL_MS = 60_000;
/** The interval when the server suggests none. */
const DEFAULT_POLL_MS = 1000;

/**
 * The status fields of a task in either era's shape: the extension's
 * (`ttlMs`, `pollIntervalMs`) or 2025-11-25's (`ttl`, `pollInterval`).
 * Undefined when `raw` is no task.
 */
export function statusUpdateOf(raw: unknown, legacy: boolean): TaskStatusUpdate | undefined {
  const task = raw as Record<string, unknown> | undefined;
  if (typeof task?.taskId !== 'string' || !(TASK_STATUSES as readonly unknown[]).includes(task.status)) return undefined;
  const ttlMs = (legacy ? task.ttl : task.ttlMs) as number | null | undefined;
  const pollIntervalMs = legacy ? task.pollInterval : task.pollIntervalMs;
  return {
    taskId: task.taskId,
    status: task.status as TaskStatusUpdate['status'],
    ...(typeof task.statusMessage === 'string' ? { statusMessage: task.statusMessage } : {}),
    createdAt: String(task.createdAt),
    lastUpdatedAt: String(task.lastUpdatedAt),
    ttlMs: typeof ttlMs === 'number' ? ttlMs : null,
    ...(typeof pollIntervalMs === 'number' ? { pollIntervalMs } : {}),
  };
}

/** Whether two statuses are the same observation (seen by push and by poll): delivered once. */
export function sameStatus(a: TaskStatusUpdate, b: TaskStatusUpdate): boolean {
  return a.status === b.status && a.statusMessage === b.statusMessage && a.lastUpdatedAt === b.lastUpdatedAt;
}

/** Milliseconds to the next `tasks/get`: the caller's choice, else the server's suggestion within bounds (ext-tasks §Task Polling). */
export function pollDelay(options: TaskObserveOptions, status: TaskStatusUpdate | undefined): number {
  if (options.pollIntervalMs !== undefined) return Math.max(1, options.pollIntervalMs);
  return Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, status?.pollIntervalMs ?? DEFAULT_POLL_MS));
}
