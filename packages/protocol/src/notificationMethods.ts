/**
 * The method names of the spec's notifications that applications branch on
 * (a viewer, a log filter), so no code outside the core spells them.
 */
export const NOTIFICATION_METHODS = {
  progress: 'notifications/progress',
  message: 'notifications/message',
  resourceUpdated: 'notifications/resources/updated',
  resourcesListChanged: 'notifications/resources/list_changed',
  toolsListChanged: 'notifications/tools/list_changed',
  promptsListChanged: 'notifications/prompts/list_changed',
  /** A task's full state, pushed to listen subscriptions that name it (the tasks extension, PROTOCOL.md §tasks). */
  tasks: 'notifications/tasks',
  /** A 2025-11-25 task's state, pushed to the session that made it (2025-11-25 tasks §Task Status Notification). */
  taskStatus: 'notifications/tasks/status',
} as const;

const SPEC_PREFIX = 'notifications/';

/** Whether a method is one of the spec's notifications rather than a custom one (`custom/status`). */
export function isSpecNotification(method: string): boolean {
  return method.startsWith(SPEC_PREFIX);
}

/** A spec notification's name without its `notifications/` prefix (`tools/list_changed`); a custom method as it is. */
export function shortNotificationName(method: string): string {
  return isSpecNotification(method) ? method.slice(SPEC_PREFIX.length) : method;
}
