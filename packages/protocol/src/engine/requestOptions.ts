import type { RequestId } from '../schemas/jsonrpc.js';
import type { ProgressToken } from '../schemas/primitives.js';
import type { Progress } from './progressTracker.js';

/** Default of {@link RequestOptions.timeout}. */
export const DEFAULT_REQUEST_TIMEOUT = 60_000;
/** Default of {@link RequestOptions.maxTotalTimeout}. */
export const DEFAULT_MAX_TOTAL_TIMEOUT = 600_000;

/** Per-request options of every outbound request (PROTOCOL.md §progress). */
export interface RequestOptions {
  /** Receives each accepted progress update, in order, before the request settles. */
  readonly onProgress?: (progress: Progress) => void;
  /**
   * Milliseconds without a response (or, with reset on, without progress)
   * before the request fails with RequestTimeout and is cancelled.
   * `Infinity` disables it.
   * @default 60_000
   */
  readonly timeout?: number;
  /**
   * Whether each progress notification re-arms `timeout`. A progress token is
   * attached whenever this is on, so it works without `onProgress`.
   * @default true
   */
  readonly resetTimeoutOnProgress?: boolean;
  /**
   * Hard limit from the moment the request is sent, whatever progress arrives.
   * @default 600_000
   */
  readonly maxTotalTimeout?: number;
  /** Aborting it cancels the request: it rejects and the peer is told. */
  readonly signal?: AbortSignal;
  /** A token of your own (string or integer), used as given; unique among active requests. */
  readonly progressToken?: ProgressToken;
  /**
   * Called synchronously with the JSON-RPC id given to the request, for
   * callers that must match later messages naming it (a listen
   * subscription's acknowledgement).
   */
  readonly onRequestId?: (id: RequestId) => void;
  /** The inbound request this one is made on behalf of (routes it onto that stream). */
  readonly relatedRequestId?: RequestId;
}
