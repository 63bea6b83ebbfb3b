import type { ClusterLink } from '../cluster/clusterLink.js';
import type { DiagnosticHandler } from '../diagnostics.js';
import type { SharedSessionLink, SharedSessionState } from '../session/sharedSession.js';
import { CatchUp, type CatchUpTarget } from './catchUp.js';
import type { ServerConnection } from './serverConnection.js';

/**
 * This node's connections of legacy sessions shared by the cluster
 * (PROTOCOL.md §shared-sessions), by session id, and what crosses the bus
 * for them: a changed state, to every node holding the session, and a
 * client's message that reached a node that cannot handle it.
 */
export class SharedSessions {
  readonly nodeId: string;
  readonly #link: ClusterLink | undefined;
  readonly #report: DiagnosticHandler;
  readonly #allows: (method: string) => boolean;
  readonly #held = new Map<string, ServerConnection>();

  constructor(nodeId: string, link: ClusterLink | undefined, report: DiagnosticHandler, allows: (method: string) => boolean) {
    this.nodeId = nodeId;
    this.#link = link;
    this.#report = report;
    this.#allows = allows;
  }

  /** A node took a session over: it delivers what the bus log kept for the session after `after`; undefined without a log. */
  catchUp(target: CatchUpTarget, after: string, done: () => void): CatchUp | undefined {
    const link = this.#link;
    return link?.keepsLog ? new CatchUp(target, after, { link, allows: this.#allows, report: this.#report }, done) : undefined;
  }

  hold(connection: ServerConnection): void {
    this.#held.set(connection.sessionId, connection);
  }

  release(connection: ServerConnection): void {
    if (this.#held.get(connection.sessionId) === connection) this.#held.delete(connection.sessionId);
  }

  /** Keeps a session's new state: in the transport's store first, then on the other nodes holding it. */
  changed(sessionId: string, transport: SharedSessionLink, state: SharedSessionState): Promise<void> {
    const change = transport.changed(state).then(() => this.#link?.sessionState(sessionId, state));
    transport.propagating?.(change);
    return change;
  }

  /** Sends a client's message on to the node that can handle it (`node`, or whichever holds the request). */
  relay(sessionId: string, message: unknown, node?: string): void {
    const link = this.#link;
    if (!link) return;
    link.relay(sessionId, message, node).then(
      (taken) => {
        if (!taken && node !== undefined && !link.closed) this.#report({ kind: 'cluster-error', step: 'session relay', error: new Error(`node ${node} does not hold session ${sessionId} (it may have stopped)`) });
      },
      (error: unknown) => this.#report({ kind: 'cluster-error', step: 'session relay', error }),
    );
  }

  /** Another node changed a session this node holds. */
  sessionState(sessionId: string, state: SharedSessionState): boolean {
    const connection = this.#held.get(sessionId);
    connection?.sync({ state });
    return connection !== undefined;
  }

  /** Another node relayed a message of a session this node holds. */
  relayed(sessionId: string, message: unknown): boolean {
    const connection = this.#held.get(sessionId);
    connection?.receiveRelayed(message);
    return connection !== undefined;
  }
}
