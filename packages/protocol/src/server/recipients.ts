import { META } from '../constants.js';
import { LOGGING_LEVELS, type LoggingLevel, type SubscriptionFilter } from '../schemas/primitives.js';
import type { DiagnosticHandler } from '../diagnostics.js';
import type { SessionInfo } from './types.js';

/**
 * Filter key of the Tidings extension that lets a modern client opt in to
 * custom notification methods on a listen stream (PROTOCOL.md §listen): the
 * spec forbids sending types the client did not ask for, so custom methods
 * are asked for by name.
 */
export const CUSTOM_NOTIFICATIONS_FILTER_KEY = 'tidings/notifications';

/** One outbound notification, serialised once for all legacy recipients. */
export interface Outbound {
  readonly method: string;
  readonly params: Record<string, unknown> | undefined;
  /** The message as legacy sessions get it. */
  readonly json: string;
  /** `JSON.stringify(params)` without `_meta`, reused to tag listen copies; undefined when params carry `_meta`. */
  readonly paramsJson: string | undefined;
}

/** Serialises a notification once. */
export function prepareOutbound(method: string, params: Record<string, unknown> | undefined): Outbound {
  const hasParams = params !== undefined;
  const paramsJson = hasParams ? JSON.stringify(params) : undefined;
  const json = hasParams ? `{"jsonrpc":"2.0","method":${JSON.stringify(method)},"params":${paramsJson}}` : JSON.stringify({ jsonrpc: '2.0', method });
  return { method, params, json, paramsJson: hasParams && '_meta' in params ? undefined : paramsJson ?? '{}' };
}

/** The copy of a notification for one listen subscription, tagged with its id. */
export function tagForSubscription(outbound: Outbound, subscriptionId: string | number): string {
  const tag = `"_meta":{${JSON.stringify(META.subscriptionId)}:${JSON.stringify(subscriptionId)}}`;
  if (outbound.paramsJson !== undefined) {
    const rest = outbound.paramsJson.length > 2 ? `,${outbound.paramsJson.slice(1)}` : '}';
    return `{"jsonrpc":"2.0","method":${JSON.stringify(outbound.method)},"params":{${tag}${rest}}`;
  }
  const params = outbound.params ?? {};
  const meta = params._meta as Record<string, unknown> | undefined;
  return JSON.stringify({
    jsonrpc: '2.0',
    method: outbound.method,
    params: { ...params, _meta: { ...meta, [META.subscriptionId]: subscriptionId } },
  });
}

/** Whether `level` is at or above `minimum` in RFC 5424 order. */
export function levelAllows(minimum: LoggingLevel | undefined, level: LoggingLevel): boolean {
  return minimum === undefined || LOGGING_LEVELS.indexOf(level) >= LOGGING_LEVELS.indexOf(minimum);
}

/** A live target of server-initiated notifications. */
export interface Recipient {
  readonly id: string;
  /** A snapshot for `server.sessions()`. */
  info(): SessionInfo;
  /** Whether this recipient may be sent this notification (era, filter, subscriptions, log level). */
  accepts(method: string, params: Record<string, unknown> | undefined): boolean;
  /**
   * Queues the notification for this recipient; resolves once it is queued
   * (never after the peer drained it) and rejects when the transport refused
   * it (PROTOCOL.md §slow-consumers).
   */
  deliver(outbound: Outbound, entry?: string): Promise<void>;
  /** A shared legacy session's connection: it takes cluster notifications in the bus log's order (PROTOCOL.md §shared-sessions). */
  readonly shared?: boolean;
  /** Ends the recipient gracefully before the server closes (a listen subscription answers its request). */
  shutdown?(): Promise<void>;
}

/**
 * Queues one notification for one recipient (PROTOCOL.md §slow-consumers):
 * true once queued; a refusal is reported with the recipient's id, never thrown.
 */
export function deliverTo(recipient: Recipient, outbound: Outbound, report: DiagnosticHandler, entry?: string): Promise<boolean> {
  return recipient.deliver(outbound, entry).then(
    () => true,
    (error: unknown) => {
      report({ kind: 'delivery-failed', recipientId: recipient.id, method: outbound.method, error });
      return false;
    },
  );
}

/**
 * Queues a notification, serialised once, for every recipient that accepts it
 * (and that `chosen` keeps), with the bus log's `entry` when it came
 * through it; resolves to how many queued it. No recipient's
 * drain is awaited, so one stalled peer cannot hold the others.
 */
export async function fanOut(
  recipients: Iterable<Recipient>,
  outbound: Outbound,
  report: DiagnosticHandler,
  chosen?: (recipient: Recipient) => boolean,
  entry?: string,
): Promise<number> {
  const writes: Promise<boolean>[] = [];
  for (const recipient of recipients) {
    if (!recipient.accepts(outbound.method, outbound.params)) continue;
    if (chosen && !chosen(recipient)) continue;
    writes.push(deliverTo(recipient, outbound, report, entry));
  }
  let reached = 0;
  for (const queued of await Promise.all(writes)) if (queued) reached++;
  return reached;
}

const LIST_FILTER_KEYS: Readonly<Record<string, keyof SubscriptionFilter>> = {
  'notifications/tools/list_changed': 'toolsListChanged',
  'notifications/prompts/list_changed': 'promptsListChanged',
  'notifications/resources/list_changed': 'resourcesListChanged',
};

/** Methods that belong to one request's stream, never to a server-wide send. */
const REQUEST_SCOPED = new Set(['notifications/progress', 'notifications/cancelled', 'notifications/subscriptions/acknowledged']);

/** Whether a legacy session may get this server-initiated notification. */
export function legacyAccepts(
  session: { readonly logLevel: LoggingLevel | undefined; readonly subscriptions: ReadonlySet<string> | undefined },
  method: string,
  params: Record<string, unknown> | undefined,
): boolean {
  // notifications/tasks is the extension's push to listen streams; 2025-11-25 sessions know only tasks/status.
  if (REQUEST_SCOPED.has(method) || method === 'notifications/tasks') return false;
  if (method === 'notifications/message') return levelAllows(session.logLevel, params?.level as LoggingLevel);
  if (method === 'notifications/resources/updated') return session.subscriptions?.has(params?.uri as string) ?? false;
  return true;
}

/** Whether a listen subscription asked for (and was granted) this notification. */
export function listenAccepts(honoured: SubscriptionFilter, method: string, params: Record<string, unknown> | undefined): boolean {
  const key = LIST_FILTER_KEYS[method];
  if (key) return honoured[key] === true;
  if (method === 'notifications/resources/updated') {
    return honoured.resourceSubscriptions?.includes(params?.uri as string) ?? false;
  }
  if (method === 'notifications/tasks') return taskIdsOf(honoured)?.includes(params?.taskId as string) ?? false;
  if (method.startsWith('notifications/')) return false;
  const custom = (honoured as Record<string, unknown>)[CUSTOM_NOTIFICATIONS_FILTER_KEY];
  return Array.isArray(custom) && custom.includes(method);
}

/** The task ids a listen filter names (ext-tasks §Task Status Notifications), if it names any. */
export function taskIdsOf(filter: SubscriptionFilter): readonly string[] | undefined {
  const ids = (filter as { taskIds?: unknown }).taskIds;
  return Array.isArray(ids) ? (ids as string[]) : undefined;
}
