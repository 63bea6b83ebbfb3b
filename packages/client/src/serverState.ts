import { ProtocolError, type Era, type Implementation } from '@tidings/protocol';

/**
 * Where one server of a pool is (a state machine, `transition` below):
 * `connecting` → `ready` | `failed`; `ready` → `reconnecting` when the
 * connection drops (or `failed` without reconnects); `reconnecting` →
 * `connecting` when its delay is over; any → `closed` by `close()`.
 */
export type ServerState =
  | {
      readonly kind: 'connecting';
      /** 0 for the first connection, then the reconnect attempt (1, 2, …). */
      readonly attempt: number;
    }
  | {
      readonly kind: 'ready';
      readonly era: Era;
      /** The negotiated revision. */
      readonly protocolVersion: string;
      /** What the server says it is. */
      readonly serverInfo: Implementation | undefined;
      /** The process id of a stdio server. */
      readonly pid: number | undefined;
      /** True when this connection replaced one that dropped. */
      readonly reconnected: boolean;
    }
  | {
      readonly kind: 'reconnecting';
      /** The attempt that runs once `delayMs` is over (1 for the first). */
      readonly attempt: number;
      readonly delayMs: number;
      /** Why the connection (or the previous attempt) ended. */
      readonly reason: Error;
    }
  | {
      readonly kind: 'failed';
      /** Why: the transport's reason, with the last stderr lines of a stdio server. */
      readonly reason: Error;
    }
  | { readonly kind: 'closed' };

/** One change, as `onStateChange` gets it. */
export interface ServerStateChange {
  /** The server's name in the config. */
  readonly server: string;
  readonly state: ServerState;
  readonly previous: ServerState;
}

const ALLOWED: Readonly<Record<ServerState['kind'], readonly ServerState['kind'][]>> = {
  connecting: ['ready', 'failed', 'reconnecting', 'closed'],
  ready: ['reconnecting', 'failed', 'closed'],
  reconnecting: ['connecting', 'closed'],
  failed: ['closed'],
  closed: [],
};

/** The next state; a move the machine does not have is a bug, thrown as a ProtocolError. */
export function transition(from: ServerState, to: ServerState): ServerState {
  if (!ALLOWED[from.kind].includes(to.kind)) {
    throw new ProtocolError('InternalError', `A server cannot go from ${from.kind} to ${to.kind}`);
  }
  return to;
}
