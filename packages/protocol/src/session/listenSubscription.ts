import { ProtocolError } from '../errors.js';
import type { RequestId } from '../schemas/jsonrpc.js';
import type { SubscriptionFilter } from '../schemas/primitives.js';

/**
 * A modern `subscriptions/listen` subscription (PROTOCOL.md §listen):
 * `acknowledging → open → closed`. Nothing is delivered before `open`, and the
 * acknowledgement is the message that makes it open.
 */
export type ListenSubscriptionState =
  | { readonly kind: 'acknowledging'; readonly id: RequestId; readonly requested: SubscriptionFilter; readonly honoured: SubscriptionFilter }
  | { readonly kind: 'open'; readonly id: RequestId; readonly requested: SubscriptionFilter; readonly honoured: SubscriptionFilter }
  | { readonly kind: 'closed'; readonly id: RequestId; readonly reason: 'cancelled' | 'shutdown' | 'disconnected' };

/** A listen request arrived; the server narrowed its filter to `honoured`. */
export function openListen(id: RequestId, requested: SubscriptionFilter, honoured: SubscriptionFilter): ListenSubscriptionState {
  return { kind: 'acknowledging', id, requested, honoured };
}

/** The acknowledgement went out. */
export function acknowledgeListen(state: ListenSubscriptionState): ListenSubscriptionState {
  if (state.kind !== 'acknowledging') {
    throw new ProtocolError('InvalidRequest', `cannot acknowledge a listen subscription that is ${state.kind}`);
  }
  return { ...state, kind: 'open' };
}

/** The subscription ended; the first reason wins. */
export function closeListen(
  state: ListenSubscriptionState,
  reason: 'cancelled' | 'shutdown' | 'disconnected',
): ListenSubscriptionState {
  return state.kind === 'closed' ? state : { kind: 'closed', id: state.id, reason };
}
