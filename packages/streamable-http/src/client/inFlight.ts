import type { OutboundMessage, RequestId } from '@tidings/protocol';
import type { Timer } from './clientContext.js';

/** Where a request stands on the wire. */
export type RequestPhase =
  /** A POST, its reply stream or a resuming GET is in progress; aborting `controller` ends it. */
  | { readonly kind: 'active'; readonly controller: AbortController }
  /** Its stream broke; `timer` resumes (legacy) or re-issues (modern) it. */
  | { readonly kind: 'waiting'; readonly timer: Timer }
  /** Answered, failed or cancelled: nothing more is done for it. */
  | { readonly kind: 'settled' };

/** A one-time second chance a request may get. */
export type Retry = 'reinitialize' | 'tool-list';

/** One request the engine sent and the wire has not answered yet. */
export interface InFlight {
  /** The id the engine gave the request. */
  readonly engineId: RequestId;
  /** The id on the wire now: only the re-issuer changes it. */
  wireId: RequestId;
  /** The request as the engine built it. */
  readonly message: OutboundMessage;
  /** Sent with the modern envelope (a stateless POST), else inside the legacy session. */
  readonly modern: boolean;
  /** The legacy `initialize`: its answer names the negotiated revision. */
  readonly handshake: boolean;
  /** Where it stands on the wire; `settled` is final. */
  phase: RequestPhase;
  /** Resume cursor of its SSE stream (legacy). */
  lastEventId: string | undefined;
  /** Reconnects in a row without a new event (legacy) / re-issues so far (modern). */
  attempts: number;
  /** Second chances already used: each is given once. */
  readonly retried: Set<Retry>;
}

/** Starts a new step of the request on the wire and returns its abort signal. */
export function activate(f: InFlight): AbortSignal {
  const controller = new AbortController();
  f.phase = { kind: 'active', controller };
  return controller.signal;
}

/** Whether nothing more is to be done for the request (settled, or its transport closed). */
export function isOver(f: InFlight, lifetime: AbortSignal): boolean {
  return f.phase.kind === 'settled' || lifetime.aborted;
}
