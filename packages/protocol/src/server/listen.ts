import { META } from '../constants.js';
import type { AbortListener } from '../engine/inboundRequest.js';
import type { ModernEnvelope } from '../era/modernEnvelope.js';
import { ProtocolError } from '../errors.js';
import type { SubscriptionFilter, ServerCapabilities } from '../schemas/primitives.js';
import { SubscriptionsListenRequestParamsSchema } from '../schemas/requests.js';
import { acknowledgeListen, closeListen, openListen, type ListenSubscriptionState } from '../session/listenSubscription.js';
import { parseParams } from '../validate.js';
import { TASKS_EXTENSION } from '../tasks/taskState.js';
import { CUSTOM_NOTIFICATIONS_FILTER_KEY, listenAccepts, tagForSubscription, taskIdsOf, type Outbound, type Recipient } from './recipients.js';
import type { CallInfo, ServerCore } from './serverCore.js';
import { declaresTasks, tasksCapabilityMissing } from './taskMethods.js';
import type { SessionInfo } from './types.js';

/** Most task ids one listen subscription follows; the acknowledgement names the ones it got. */
export const MAX_LISTEN_TASK_IDS = 1024;

/**
 * Narrows a requested filter to what the server can honour: a type the server
 * has no capability for is left out of the acknowledgement (subscriptions.mdx
 * §acknowledgment).
 */
export function honourFilter(requested: SubscriptionFilter, capabilities: ServerCapabilities): SubscriptionFilter {
  const honoured: Record<string, unknown> = {};
  if (requested.toolsListChanged && capabilities.tools?.listChanged) honoured.toolsListChanged = true;
  if (requested.promptsListChanged && capabilities.prompts?.listChanged) honoured.promptsListChanged = true;
  if (requested.resourcesListChanged && capabilities.resources?.listChanged) honoured.resourcesListChanged = true;
  if (requested.resourceSubscriptions && capabilities.resources?.subscribe) {
    honoured.resourceSubscriptions = requested.resourceSubscriptions.filter((uri) => typeof uri === 'string');
  }
  const taskIds = taskIdsOf(requested);
  if (taskIds && (capabilities.extensions as Record<string, unknown> | undefined)?.[TASKS_EXTENSION]) {
    // Bounded: each task notification is matched against this list.
    honoured.taskIds = taskIds.filter((id) => typeof id === 'string').slice(0, MAX_LISTEN_TASK_IDS);
  }
  const custom = (requested as Record<string, unknown>)[CUSTOM_NOTIFICATIONS_FILTER_KEY];
  if (Array.isArray(custom)) {
    honoured[CUSTOM_NOTIFICATIONS_FILTER_KEY] = custom.filter((m) => typeof m === 'string' && !m.startsWith('notifications/'));
  }
  return honoured as SubscriptionFilter;
}

/**
 * Serves one `subscriptions/listen` request (PROTOCOL.md §listen): the
 * acknowledgement goes out first, then the subscription becomes a recipient
 * until the client cancels it, the connection drops, or the server shuts down
 * (then it answers the request to end it gracefully).
 */
export function serveListen(core: ServerCore, params: Record<string, unknown> | undefined, call: CallInfo): Promise<unknown> {
  const { inbound, envelope } = call;
  if (!envelope) throw new ProtocolError('MethodNotFound', 'Method not found: subscriptions/listen');
  const { notifications } = parseParams(SubscriptionsListenRequestParamsSchema, params);
  // Task status needs the extension on this request (ext-tasks §Task Status Notifications).
  if (taskIdsOf(notifications) !== undefined && !declaresTasks(envelope.clientCapabilities)) throw tasksCapabilityMissing('notifications for taskIds');
  const subscription = new ListenRecipient(core, call, envelope, openListen(inbound.id, notifications, honourFilter(notifications, core.capabilities())));
  // Transports write in call order, so once the acknowledgement is handed to
  // the wire the subscription may take notifications: they land after it.
  inbound
    .notify('notifications/subscriptions/acknowledged', {
      _meta: { [META.subscriptionId]: inbound.id },
      notifications: subscription.honoured,
    })
    .catch(() => subscription.end('disconnected', undefined));
  subscription.open();
  return subscription.ended;
}

/**
 * One open listen subscription as a recipient of server-wide notifications.
 * A class, not closures: a server may hold thousands of idle listen streams
 * (PROTOCOL.md §performance).
 */
class ListenRecipient implements Recipient, AbortListener {
  readonly id: string;
  readonly ended: Promise<unknown>;
  readonly #core: ServerCore;
  readonly #call: CallInfo;
  readonly #envelope: ModernEnvelope;
  readonly #createdAt: number;
  #state: ListenSubscriptionState;
  #resolve!: (result: unknown) => void;

  constructor(core: ServerCore, call: CallInfo, envelope: ModernEnvelope, state: ListenSubscriptionState) {
    this.id = core.newSessionId();
    this.#core = core;
    this.#call = call;
    this.#envelope = envelope;
    this.#state = state;
    this.#createdAt = core.clock.now();
    this.ended = new Promise((resolve) => (this.#resolve = resolve));
  }

  /** The filter the acknowledgement names. */
  get honoured(): SubscriptionFilter {
    return this.#state.kind === 'closed' ? {} : this.#state.honoured;
  }

  /** The acknowledgement is on the wire: from now on the subscription takes notifications. */
  open(): void {
    if (this.#state.kind !== 'acknowledging') return;
    this.#state = acknowledgeListen(this.#state);
    this.#core.addRecipient(this);
    this.#call.inbound.whenAborted(this);
  }

  /** The client cancelled the listen request, or its connection dropped. */
  aborted(reason: ProtocolError): void {
    this.end(reason.code === 'ConnectionClosed' ? 'disconnected' : 'cancelled', undefined);
  }

  info(): SessionInfo {
    const { connection } = this.#call;
    return {
      id: this.id,
      era: 'modern',
      kind: 'listen',
      transport: connection.transportKind,
      protocolVersion: this.#envelope.protocolVersion,
      clientInfo: this.#envelope.clientInfo,
      clientCapabilities: this.#envelope.clientCapabilities,
      createdAt: this.#createdAt,
      lastSeenAt: connection.lastSeenAt,
    };
  }

  accepts(method: string, params: Record<string, unknown> | undefined): boolean {
    return this.#state.kind === 'open' && listenAccepts(this.#state.honoured, method, params);
  }

  deliver(outbound: Outbound): Promise<void> {
    const id = this.#call.inbound.id;
    return this.#call.connection.engine.sendSerialized(tagForSubscription(outbound, id), { relatedRequestId: id, queued: true });
  }

  /** Ends the subscription gracefully: the listen request is answered (server shutdown). */
  shutdown(): Promise<void> {
    this.end('shutdown', { _meta: { [META.subscriptionId]: this.#call.inbound.id } });
    return this.#call.inbound.responded;
  }

  end(reason: 'cancelled' | 'shutdown' | 'disconnected', result: unknown): void {
    if (this.#state.kind === 'closed') return;
    this.#state = closeListen(this.#state, reason);
    this.#core.removeRecipient(this);
    this.#resolve(result);
  }
}
