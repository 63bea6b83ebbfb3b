import type { DiagnosticHandler } from '../diagnostics.js';
import type { SessionInfo } from '../server/types.js';
import type { SharedSessionState } from '../session/sharedSession.js';

/** What this node does with a notification another node published: the same as for its own, minus the bus. */
export interface LocalDelivery {
  /**
   * With `entry` (the message's id in the bus's log), shared legacy sessions
   * keep it with the event; with `sharedOnly`, only they get it (this node
   * published it and delivered it to its other recipients already).
   */
  broadcast(method: string, params: Record<string, unknown> | undefined, entry?: string, sharedOnly?: boolean): Promise<number>;
  notify(sessionId: string, method: string, params: Record<string, unknown> | undefined, entry?: string): Promise<boolean>;
  /** This node's recipients, for a node listing the cluster's. */
  sessions(): SessionInfo[];
  /** Applies an update or a cancel to a task whose work runs here; false when it does not. */
  task(kind: TaskRelay, taskId: string, inputResponses: Readonly<Record<string, unknown>> | undefined): Promise<boolean>;
  /** Brings this node's connection of a shared legacy session up to date; false when it holds none. */
  sessionState(sessionId: string, state: SharedSessionState): boolean;
  /** Hands a client's message for a shared legacy session to this node's connection of it; false when it holds none. */
  relayed(sessionId: string, message: unknown): boolean;
}

/** A broadcast or notify read back from the bus's log. */
export interface LoggedNotification {
  readonly entry: string;
  readonly method: string;
  readonly params: Record<string, unknown> | undefined;
  /** The session a notify targets; undefined for a broadcast. */
  readonly sessionId: string | undefined;
}

/** A page of the bus's log as a node reads it back. */
export interface LogPage {
  /** Its broadcasts and notifies (other entries are skipped). */
  readonly notifications: LoggedNotification[];
  /** Some entries after the one asked for were dropped by the log's bound. */
  readonly gap: boolean;
  /** The last entry read, whatever it was; undefined when none was. */
  readonly last: string | undefined;
  /** As many entries as asked for were read: there may be more. */
  readonly full: boolean;
}

/** What a node may ask of the node where a task runs. */
export type TaskRelay = 'update' | 'cancel';

/** What crosses the bus: a broadcast, a targeted notify, a listing of recipients, and a node's answer to one. */
export type Envelope =
  | { readonly t: 'b'; readonly o: string; readonly q: number; readonly m: string; readonly p?: Record<string, unknown> }
  | { readonly t: 'n'; readonly o: string; readonly q: number; readonly s: string; readonly m: string; readonly p?: Record<string, unknown> }
  | { readonly t: 'l'; readonly o: string; readonly q: number }
  | { readonly t: 't'; readonly o: string; readonly q: number; readonly k: TaskRelay; readonly i: string; readonly r?: Readonly<Record<string, unknown>> }
  | { readonly t: 'u'; readonly o: string; readonly q: number; readonly s: string; readonly st: SharedSessionState }
  | { readonly t: 'k'; readonly o: string; readonly q: number; readonly s: string; readonly m: unknown; readonly d?: string }
  | { readonly t: 'c'; readonly a: readonly Answer[] };

/** One node's answer to one message: how many it reached, and for a listing, its recipients. */
export interface Answer {
  readonly q: number;
  readonly n: number;
  readonly l?: SessionInfo[];
}

/** Parses a bus message; undefined (and reported) when it is not one of ours. */
export function readEnvelope(message: string, report: DiagnosticHandler): Envelope | undefined {
  try {
    const envelope = JSON.parse(message) as Envelope;
    if (typeof envelope === 'object' && envelope !== null && (envelope.t === 'c' ? Array.isArray(envelope.a) : typeof envelope.q === 'number')) return envelope;
  } catch (error) {
    report({ kind: 'cluster-error', step: 'read', error });
    return undefined;
  }
  report({ kind: 'cluster-error', step: 'read', error: new Error('a bus message is not a Tidings cluster envelope') });
  return undefined;
}
