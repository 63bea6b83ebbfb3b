import type { Clock } from '../clock.js';
import type { Era } from '../constants.js';
import type { DiagnosticHandler } from '../diagnostics.js';
import type { InboundRequestContext } from '../engine/inboundRequest.js';
import type { TransportError } from '../errors.js';
import type { ClientCapabilities, Root } from '../schemas/primitives.js';
import type { CreateMessageRequestParams, ElicitRequestParams } from '../schemas/requests.js';
import type { CreateMessageResult, ElicitResult } from '../schemas/results.js';

/** Which era a client speaks: `auto` probes `server/discover` and falls back to `initialize`. */
export type EraPreference = 'auto' | Era;

/** A notification as the client-level fallback handler sees it. */
export interface ReceivedNotification {
  /** The notification method. */
  readonly method: string;
  /** Its params, as received. */
  readonly params: Record<string, unknown> | undefined;
}

/** Answers a legacy server's `sampling/createMessage`. */
export type SamplingHandler = (params: CreateMessageRequestParams, ctx: InboundRequestContext) => CreateMessageResult | Promise<CreateMessageResult>;

/** Answers a legacy server's `elicitation/create`. */
export type ElicitationHandler = (params: ElicitRequestParams, ctx: InboundRequestContext) => ElicitResult | Promise<ElicitResult>;

/** Where a client keeps the era it found per server (the spec's "cache per origin"). */
export interface EraCache {
  /** The era found for a server, if known. */
  get(key: string): Era | undefined;
  /** Remembers the era found for a server. */
  set(key: string, era: Era): void;
}

/** Options of `createClient`. */
export interface ClientOptions {
  /** @default 'auto' */
  readonly era?: EraPreference;
  /**
   * Capabilities to declare. `roots` (with listChanged) is declared unless set;
   * `sampling` / `elicitation` are added when their handler is given.
   */
  readonly capabilities?: ClientCapabilities;
  /** Receives every notification that no `on` handler took. */
  readonly onNotification?: (notification: ReceivedNotification) => void;
  /** Roots offered to legacy servers from the start. */
  readonly roots?: readonly Root[];
  /** Answers sampling/createMessage (declares the sampling capability). */
  readonly onSamplingRequest?: SamplingHandler;
  /** Answers elicitation/create (declares the elicitation capability). */
  readonly onElicitationRequest?: ElicitationHandler;
  /** Timers and time. @default systemClock */
  readonly clock?: Clock;
  /** Dropped messages and callback failures. */
  readonly onDiagnostic?: DiagnosticHandler;
  /** Transport faults that did not close the connection. */
  readonly onError?: (error: TransportError) => void;
  /** Called once when the connection closes. */
  readonly onClose?: (reason?: Error) => void;
  /**
   * How long the `server/discover` probe may take before the server is taken
   * for a legacy one.
   * @default 5000
   */
  readonly probeTimeoutMs?: number;
  /** Shared era cache; `cacheKey` picks the entry. @default a cache of this client only */
  readonly eraCache?: EraCache;
  /** Key of this server in `eraCache` (an origin, a command line). @default 'default' */
  readonly cacheKey?: string;
  /** Delay before a dropped listen subscription is reopened; doubles up to 5 s. @default 100 */
  readonly listenRetryMs?: number;
}
