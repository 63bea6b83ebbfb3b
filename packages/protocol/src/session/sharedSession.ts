import type { ClientCapabilities, Implementation, LoggingLevel } from '../schemas/primitives.js';

/**
 * What every node needs to serve a legacy session it did not open
 * (PROTOCOL.md §shared-sessions): the handshake, whether `initialized` came,
 * and the state the client set since. Plain JSON, so a session store keeps
 * it as it is.
 */
export interface SharedSessionState {
  /** `notifications/initialized` arrived (on whichever node). */
  readonly ready: boolean;
  readonly protocolVersion: string;
  readonly clientInfo?: Implementation;
  readonly clientCapabilities: ClientCapabilities;
  /** Set by `logging/setLevel`. */
  readonly logLevel?: LoggingLevel;
  /** URIs of `resources/subscribe`. */
  readonly subscriptions?: readonly string[];
}

/** What a node's connection of a shared session learns from the store. */
export interface SharedSessionSync {
  readonly state: SharedSessionState;
  /** Whether this node is now the session's home. */
  readonly home?: boolean;
  /**
   * With `home` when this node just took the session over: the cluster log's
   * entry after which it delivers what the session may have missed (the last
   * one its stored events came from, or where the log stood when it was made).
   */
  readonly after?: string;
}

/**
 * The side of a legacy session's transport that lives beyond this process
 * (Streamable HTTP with a session store). The core tells it every change of
 * the session's state and answers the request that made it only once
 * `changed` resolved, so the client's next request sees it on any node.
 */
export interface SharedSessionLink {
  /** Keeps the session's new state where every node reads it. */
  changed(state: SharedSessionState): Promise<void>;
  /**
   * A message for this session that reached another node, which could not
   * handle it (a response to a request this node sent, a cancellation of a
   * request running here): handle it as if the client had sent it here.
   */
  deliver(message: unknown): void;
  /**
   * The whole of a change (kept, then applied by the other nodes holding the
   * session). A transport that answers the notification that made it (the
   * 202 of `initialized`) waits for it, so the client's next request, on
   * whichever node, finds it there and cannot overwrite it with older state.
   */
  propagating?(change: Promise<void>): void;
}

/** How a connection of a shared session starts: from the stored state, the node-wide recipient (its home) or not. */
export interface SharedSessionStart {
  readonly state: SharedSessionState;
  /** Whether this node is the session's home: the one that delivers it server-initiated notifications. */
  readonly home: boolean;
}

/** A request id of a shared session, naming the node that waits for the response. */
export function sharedRequestId(nodeId: string, n: number): string {
  return `${n}@${nodeId}`;
}

/** The node a {@link sharedRequestId} names; undefined for any other id. */
export function nodeOfRequestId(id: unknown): string | undefined {
  if (typeof id !== 'string') return undefined;
  const at = id.indexOf('@');
  return at > 0 && /^\d+$/.test(id.slice(0, at)) ? id.slice(at + 1) : undefined;
}
