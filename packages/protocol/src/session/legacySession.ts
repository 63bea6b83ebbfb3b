import { ProtocolError } from '../errors.js';
import type { ClientCapabilities, Implementation, LoggingLevel, Root } from '../schemas/primitives.js';

/** What the client declared in `initialize`. */
export interface LegacyHandshake {
  /** The negotiated revision. */
  readonly protocolVersion: string;
  /** Undefined for a stateless legacy client, which never introduced itself. */
  readonly clientInfo: Implementation | undefined;
  /** The capabilities the client declared. */
  readonly clientCapabilities: ClientCapabilities;
}

/**
 * A legacy session (PROTOCOL.md §sessions): `new → initializing → ready →
 * closed`. Transitions are functions; an illegal one is a ProtocolError.
 */
export type LegacySessionState =
  | { readonly kind: 'new' }
  | ({ readonly kind: 'initializing' } & LegacyHandshake)
  | ({ readonly kind: 'ready' } & LegacyHandshake)
  | { readonly kind: 'closed'; readonly reason?: string };

/** The state every session starts in, shared: it holds nothing of its own. */
export const NEW_SESSION: LegacySessionState = Object.freeze({ kind: 'new' });

/** Mutable per-session data the server keeps beside the state. */
export interface LegacySessionData {
  /** Minimum level set by `logging/setLevel`; undefined sends every level. */
  logLevel: LoggingLevel | undefined;
  /** URIs of `resources/subscribe`; created on the first subscribe. */
  subscriptions: Set<string> | undefined;
  /** Last roots the client reported, refreshed on `roots/list_changed`. */
  roots: readonly Root[] | undefined;
}

/** The `initialize` request arrived. Legal only once, from `new`. */
export function beginInitialize(state: LegacySessionState, handshake: LegacyHandshake): LegacySessionState {
  if (state.kind !== 'new') {
    throw new ProtocolError('InvalidRequest', `initialize is not allowed: the session is ${state.kind}`);
  }
  return withKind('initializing', handshake);
}

/** `notifications/initialized` arrived. Legal only from `initializing`. */
export function completeInitialize(state: LegacySessionState): LegacySessionState {
  if (state.kind !== 'initializing') {
    throw new ProtocolError('InvalidRequest', `initialized is not allowed: the session is ${state.kind}`);
  }
  return withKind('ready', state);
}

/**
 * A handshake state spelled out field by field: a spread would put the fields
 * outside the object (one more allocation per idle session).
 */
function withKind(kind: 'initializing' | 'ready', handshake: LegacyHandshake): LegacySessionState {
  return { kind, protocolVersion: handshake.protocolVersion, clientInfo: handshake.clientInfo, clientCapabilities: handshake.clientCapabilities };
}

/** The session ended; closing twice keeps the first reason. */
export function closeSession(state: LegacySessionState, reason?: string): LegacySessionState {
  return state.kind === 'closed' ? state : { kind: 'closed', reason };
}

