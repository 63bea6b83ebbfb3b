import * as z from 'zod';
import { TaskStatusSchema } from './primitives.js';
import { RequestParamsSchema } from './requests.js';

/**
 * Schemas of the tasks extension (`io.modelcontextprotocol/tasks`, SEP-2663)
 * on the 2026-07-28 wire. The 2025-11-25 tasks of the core spec (`ttl`,
 * `pollInterval`, `notifications/tasks/status`) keep their schemas in
 * `primitives.ts` and `notifications.ts`.
 */

/** Validates the params of `tasks/get` and `tasks/cancel`. */
export const TaskIdRequestParamsSchema = RequestParamsSchema.extend({ taskId: z.string() });
/** Params of `tasks/get` and `tasks/cancel`. */
export type TaskIdRequestParams = z.infer<typeof TaskIdRequestParamsSchema>;

/** Validates the params of `tasks/update`: answers keyed as the task's `inputRequests`. */
export const UpdateTaskRequestParamsSchema = RequestParamsSchema.extend({
  taskId: z.string(),
  inputResponses: z.record(z.string(), z.unknown()),
});
/** Params of `tasks/update`. */
export type UpdateTaskRequestParams = z.infer<typeof UpdateTaskRequestParamsSchema>;

const TaskFields = {
  taskId: z.string(),
  statusMessage: z.string().optional(),
  createdAt: z.string(),
  lastUpdatedAt: z.string(),
  ttlMs: z.number().int().nonnegative().nullable(),
  pollIntervalMs: z.number().int().positive().optional(),
};

/** Validates a `DetailedTask`: the task with its status-specific payload (`tasks/get`, `notifications/tasks`). */
export const DetailedTaskSchema = z.discriminatedUnion('status', [
  z.looseObject({ ...TaskFields, status: z.literal('working') }),
  z.looseObject({
    ...TaskFields,
    status: z.literal('input_required'),
    inputRequests: z.record(z.string(), z.looseObject({ method: z.string(), params: z.record(z.string(), z.unknown()).optional() })),
  }),
  z.looseObject({ ...TaskFields, status: z.literal('completed'), result: z.record(z.string(), z.unknown()) }),
  z.looseObject({
    ...TaskFields,
    status: z.literal('failed'),
    error: z.looseObject({ code: z.number(), message: z.string(), data: z.unknown().optional() }),
  }),
  z.looseObject({ ...TaskFields, status: z.literal('cancelled') }),
]);

/** Validates a `CreateTaskResult`: the task's base fields, flat, with `resultType: "task"`. */
export const CreateTaskResultSchema = z.looseObject({ ...TaskFields, resultType: z.literal('task'), status: TaskStatusSchema });

/** Validates `notifications/tasks` params: the full task, as `tasks/get` would return it then. */
export const TaskNotificationParamsSchema = DetailedTaskSchema;
