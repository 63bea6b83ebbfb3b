import { META } from '../constants.js';
import { ProtocolError } from '../errors.js';
import type { SubscriptionFilter, ServerCapabilities } from '../schemas/primitives.js';
import { SubscriptionsListenRequestParamsSchema } from '../schemas/requests.js';
import { acknowledgeListen, closeListen, openListen, type ListenSubscriptionState } from '../session/listenSubscription.js';
import { parseParams } from '../validate.js';
import { CUSTOM_NOTIFICATIONS_FILTER_KEY, listenAccepts, tagForSubscription, type Recipient } from './recipients.js';
import type { CallInfo, ServerCore } from './serverCore.js';

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
export async function serveListen(core: ServerCore, params: Record<string, unknown> | undefined, call: CallInfo): Promise<unknown> {
  const { inbound, connection, envelope } = call;
  if (!envelope) throw new ProtocolError('MethodNotFound', 'Method not found: subscriptions/listen');
  const { notifications } = parseParams(SubscriptionsListenRequestParamsSchema, params);
  const id = inbound.id;
  let state: ListenSubscriptionState = openListen(id, notifications, honourFilter(notifications, core.capabilities()));
  // Transports write in call order, so once the acknowledgement is handed to
  // the wire the subscription may take notifications: they land after it.
  const acknowledged = inbound.notify('notifications/subscriptions/acknowledged', {
    _meta: { [META.subscriptionId]: id },
    notifications: state.kind === 'acknowledging' ? state.honoured : {},
  });
  state = acknowledgeListen(state);
  const honoured = state.kind === 'open' ? state.honoured : {};
  const createdAt = core.clock.now();
  const recipient: Recipient = {
    id: core.newSessionId(),
    info: () => ({
      id: recipient.id,
      era: 'modern',
      kind: 'listen',
      transport: connection.transportKind,
      protocolVersion: envelope.protocolVersion,
      clientInfo: envelope.clientInfo,
      clientCapabilities: envelope.clientCapabilities,
      createdAt,
      lastSeenAt: connection.lastSeenAt,
    }),
    accepts: (method, notificationParams) => listenAccepts(honoured, method, notificationParams),
    deliver: (outbound) => connection.engine.sendSerialized(tagForSubscription(outbound, id), { relatedRequestId: id }),
  };
  core.addRecipient(recipient);

  const ended = new Promise((resolve) => {
    const end = (reason: 'cancelled' | 'shutdown' | 'disconnected', result: unknown): void => {
      if (state.kind === 'closed') return;
      state = closeListen(state, reason);
      inbound.signal.removeEventListener('abort', onAbort);
      connection.listenEnders?.delete(shutdown);
      core.removeRecipient(recipient);
      resolve(result);
    };
    const onAbort = (): void => {
      const reason = (inbound.signal.reason as ProtocolError | undefined)?.code === 'ConnectionClosed' ? 'disconnected' : 'cancelled';
      end(reason, undefined);
    };
    const shutdown = (): Promise<void> => {
      end('shutdown', { _meta: { [META.subscriptionId]: id } });
      return inbound.responded;
    };
    inbound.signal.addEventListener('abort', onAbort, { once: true });
    (connection.listenEnders ??= new Set()).add(shutdown);
    if (inbound.signal.aborted) onAbort();
  });
  await acknowledged;
  return ended;
}
