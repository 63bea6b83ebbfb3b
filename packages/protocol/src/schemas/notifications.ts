import * as z from 'zod';
import type { Era } from '../constants.js';
import { JSONRPC_VERSION, RequestIdSchema } from './jsonrpc.js';
import {
  LoggingLevelSchema,
  NotificationMetaSchema,
  ProgressTokenSchema,
  SubscriptionFilterSchema,
  TaskSchema,
} from './primitives.js';

/**
 * Validates the members every notification's params may carry (`_meta`); extend
 * it for custom notifications. Unknown members pass through.
 */
export const NotificationParamsSchema = z.looseObject({ _meta: NotificationMetaSchema.optional() });
/** Params common to every notification. */
export type NotificationParams = z.infer<typeof NotificationParamsSchema>;

/**
 * Params of the notifications whose `params` member may be absent on the wire
 * (initialized, the list_changed family). Absent params are read as `{}` by
 * this schema itself (a zod default, a fresh object each time), so the
 * registry entry, the full message schema and `parseParams` agree, and the
 * output type always has an object.
 */
const OptionalParamsSchema = NotificationParamsSchema.default(() => ({}));

// The full message: `jsonrpc` optional so the schema also fits a message being built.
function notificationSchema<M extends string, P extends z.ZodType>(method: M, params: P) {
  return z.looseObject({ jsonrpc: z.literal(JSONRPC_VERSION).optional(), method: z.literal(method), params });
}

/** Validates `notifications/initialized` params (legacy, client → server); may be absent. */
export const InitializedNotificationParamsSchema = OptionalParamsSchema;
/** Validates a full `notifications/initialized` message. */
export const InitializedNotificationSchema = notificationSchema('notifications/initialized', InitializedNotificationParamsSchema);
/** A `notifications/initialized` message. */
export type InitializedNotification = z.infer<typeof InitializedNotificationSchema>;

/** Validates `notifications/cancelled` params: the id of the request to stop and why. */
export const CancelledNotificationParamsSchema = NotificationParamsSchema.extend({
  requestId: RequestIdSchema.optional(),
  reason: z.string().optional(),
});
/** Validates a full `notifications/cancelled` message. */
export const CancelledNotificationSchema = notificationSchema('notifications/cancelled', CancelledNotificationParamsSchema);
/** A `notifications/cancelled` message. */
export type CancelledNotification = z.infer<typeof CancelledNotificationSchema>;

/** Validates `notifications/progress` params. Monotonicity is checked by the engine, not here. */
export const ProgressNotificationParamsSchema = NotificationParamsSchema.extend({
  progressToken: ProgressTokenSchema,
  progress: z.number(),
  total: z.number().optional(),
  message: z.string().optional(),
});
/** Validates a full `notifications/progress` message. */
export const ProgressNotificationSchema = notificationSchema('notifications/progress', ProgressNotificationParamsSchema);
/** A `notifications/progress` message. */
export type ProgressNotification = z.infer<typeof ProgressNotificationSchema>;

/** Validates `notifications/message` params: `level`, `data` (any JSON value; the key is required), `logger?`. */
export const LoggingMessageNotificationParamsSchema = NotificationParamsSchema.extend({
  level: LoggingLevelSchema,
  data: z.unknown().refine((value) => value !== undefined, { message: 'data is required' }),
  logger: z.string().optional(),
});
/** Validates a full `notifications/message` message. */
export const LoggingMessageNotificationSchema = notificationSchema('notifications/message', LoggingMessageNotificationParamsSchema);
/** A `notifications/message` message. */
export type LoggingMessageNotification = z.infer<typeof LoggingMessageNotificationSchema>;

/** Validates `notifications/resources/updated` params: the `uri` that changed. */
export const ResourceUpdatedNotificationParamsSchema = NotificationParamsSchema.extend({ uri: z.string() });
/** Validates a full `notifications/resources/updated` message. */
export const ResourceUpdatedNotificationSchema = notificationSchema(
  'notifications/resources/updated',
  ResourceUpdatedNotificationParamsSchema,
);
/** A `notifications/resources/updated` message. */
export type ResourceUpdatedNotification = z.infer<typeof ResourceUpdatedNotificationSchema>;

/** Validates `notifications/resources/list_changed` params; may be absent. */
export const ResourceListChangedNotificationParamsSchema = OptionalParamsSchema;
/** Validates a full `notifications/resources/list_changed` message. */
export const ResourceListChangedNotificationSchema = notificationSchema(
  'notifications/resources/list_changed',
  ResourceListChangedNotificationParamsSchema,
);
/** A `notifications/resources/list_changed` message. */
export type ResourceListChangedNotification = z.infer<typeof ResourceListChangedNotificationSchema>;

/** Validates `notifications/tools/list_changed` params; may be absent. */
export const ToolListChangedNotificationParamsSchema = OptionalParamsSchema;
/** Validates a full `notifications/tools/list_changed` message. */
export const ToolListChangedNotificationSchema = notificationSchema(
  'notifications/tools/list_changed',
  ToolListChangedNotificationParamsSchema,
);
/** A `notifications/tools/list_changed` message. */
export type ToolListChangedNotification = z.infer<typeof ToolListChangedNotificationSchema>;

/** Validates `notifications/prompts/list_changed` params; may be absent. */
export const PromptListChangedNotificationParamsSchema = OptionalParamsSchema;
/** Validates a full `notifications/prompts/list_changed` message. */
export const PromptListChangedNotificationSchema = notificationSchema(
  'notifications/prompts/list_changed',
  PromptListChangedNotificationParamsSchema,
);
/** A `notifications/prompts/list_changed` message. */
export type PromptListChangedNotification = z.infer<typeof PromptListChangedNotificationSchema>;

/** Validates `notifications/roots/list_changed` params (legacy, client → server); may be absent. */
export const RootsListChangedNotificationParamsSchema = OptionalParamsSchema;
/** Validates a full `notifications/roots/list_changed` message. */
export const RootsListChangedNotificationSchema = notificationSchema(
  'notifications/roots/list_changed',
  RootsListChangedNotificationParamsSchema,
);
/** A `notifications/roots/list_changed` message. */
export type RootsListChangedNotification = z.infer<typeof RootsListChangedNotificationSchema>;

/** Validates `notifications/elicitation/complete` params (2025-11-25): the finished URL-mode `elicitationId`. */
export const ElicitationCompleteNotificationParamsSchema = NotificationParamsSchema.extend({ elicitationId: z.string() });
/** Validates a full `notifications/elicitation/complete` message. */
export const ElicitationCompleteNotificationSchema = notificationSchema(
  'notifications/elicitation/complete',
  ElicitationCompleteNotificationParamsSchema,
);
/** A `notifications/elicitation/complete` message. */
export type ElicitationCompleteNotification = z.infer<typeof ElicitationCompleteNotificationSchema>;

/** Validates `notifications/tasks/status` params (2025-11-25): the task's fields. */
export const TaskStatusNotificationParamsSchema = NotificationParamsSchema.extend(TaskSchema.shape);
/** Validates a full `notifications/tasks/status` message. */
export const TaskStatusNotificationSchema = notificationSchema('notifications/tasks/status', TaskStatusNotificationParamsSchema);
/** A `notifications/tasks/status` message. */
export type TaskStatusNotification = z.infer<typeof TaskStatusNotificationSchema>;

/** Validates `notifications/subscriptions/acknowledged` params (modern): the filter the server honours. */
export const SubscriptionsAcknowledgedNotificationParamsSchema = NotificationParamsSchema.extend({
  notifications: SubscriptionFilterSchema,
});
/** Validates a full `notifications/subscriptions/acknowledged` message. */
export const SubscriptionsAcknowledgedNotificationSchema = notificationSchema(
  'notifications/subscriptions/acknowledged',
  SubscriptionsAcknowledgedNotificationParamsSchema,
);
/** A `notifications/subscriptions/acknowledged` message. */
export type SubscriptionsAcknowledgedNotification = z.infer<typeof SubscriptionsAcknowledgedNotificationSchema>;

/**
 * The params schema of every MCP notification, keyed by method. Entries whose
 * params may be absent accept `undefined` and yield `{}`.
 */
export const notificationSchemas = {
  'notifications/initialized': InitializedNotificationParamsSchema,
  'notifications/cancelled': CancelledNotificationParamsSchema,
  'notifications/progress': ProgressNotificationParamsSchema,
  'notifications/message': LoggingMessageNotificationParamsSchema,
  'notifications/resources/updated': ResourceUpdatedNotificationParamsSchema,
  'notifications/resources/list_changed': ResourceListChangedNotificationParamsSchema,
  'notifications/tools/list_changed': ToolListChangedNotificationParamsSchema,
  'notifications/prompts/list_changed': PromptListChangedNotificationParamsSchema,
  'notifications/roots/list_changed': RootsListChangedNotificationParamsSchema,
  'notifications/elicitation/complete': ElicitationCompleteNotificationParamsSchema,
  'notifications/tasks/status': TaskStatusNotificationParamsSchema,
  'notifications/subscriptions/acknowledged': SubscriptionsAcknowledgedNotificationParamsSchema,
} as const satisfies Record<string, z.ZodType>;

/** Method of a notification MCP defines. */
export type NotificationMethod = keyof typeof notificationSchemas;
/** Params of notification `M` after validation (absent optional params read as `{}`). */
export type NotificationParamsOf<M extends NotificationMethod> = z.output<(typeof notificationSchemas)[M]>;
/** Params a sender may pass for notification `M` (`undefined` where params may be absent). */
export type NotificationParamsInputOf<M extends NotificationMethod> = z.input<(typeof notificationSchemas)[M]>;

/** Whether `method` is one of the notifications MCP defines (not a custom one). */
export function isNotificationMethod(method: string): method is NotificationMethod {
  return Object.hasOwn(notificationSchemas, method);
}

/**
 * The eras each notification exists in. `'legacy'` for elicitation/complete and
 * tasks/status means revision 2025-11-25 only: see {@link NOTIFICATION_REVISIONS}.
 */
export const NOTIFICATION_ERAS = {
  'notifications/initialized': ['legacy'],
  'notifications/cancelled': ['legacy', 'modern'],
  'notifications/progress': ['legacy', 'modern'],
  'notifications/message': ['legacy', 'modern'],
  'notifications/resources/updated': ['legacy', 'modern'],
  'notifications/resources/list_changed': ['legacy', 'modern'],
  'notifications/tools/list_changed': ['legacy', 'modern'],
  'notifications/prompts/list_changed': ['legacy', 'modern'],
  'notifications/roots/list_changed': ['legacy'],
  'notifications/elicitation/complete': ['legacy'],
  'notifications/tasks/status': ['legacy'],
  'notifications/subscriptions/acknowledged': ['modern'],
} as const satisfies Record<NotificationMethod, readonly Era[]>;

/**
 * Notifications that exist in fewer protocol revisions than their eras say:
 * these two were added in 2025-11-25 and dropped by 2026-07-28, so a legacy
 * session that negotiated 2025-06-18 or older never sends or receives them.
 */
export const NOTIFICATION_REVISIONS: Readonly<Partial<Record<NotificationMethod, readonly string[]>>> = {
  'notifications/elicitation/complete': ['2025-11-25'],
  'notifications/tasks/status': ['2025-11-25'],
};

/** Which side may send a notification. */
export type NotificationDirection = 'client-to-server' | 'server-to-client' | 'both';

/** Who sends each notification. */
export const NOTIFICATION_DIRECTION = {
  'notifications/initialized': 'client-to-server',
  'notifications/cancelled': 'both',
  'notifications/progress': 'both',
  'notifications/message': 'server-to-client',
  'notifications/resources/updated': 'server-to-client',
  'notifications/resources/list_changed': 'server-to-client',
  'notifications/tools/list_changed': 'server-to-client',
  'notifications/prompts/list_changed': 'server-to-client',
  'notifications/roots/list_changed': 'client-to-server',
  'notifications/elicitation/complete': 'server-to-client',
  'notifications/tasks/status': 'both',
  'notifications/subscriptions/acknowledged': 'server-to-client',
} as const satisfies Record<NotificationMethod, NotificationDirection>;
