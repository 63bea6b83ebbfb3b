import type { TransportCapabilities } from '../types.js';

/**
 * What the official SDK clients (v1 and v2) cannot do, on every transport:
 * they refuse non-JSON input, pick their own progress tokens, dispatch a
 * notification a microtask after the response it preceded (typescript-sdk#2580),
 * and check `maxTotalTimeout` only when progress arrives.
 */
export const SDK_CLIENT_CAPABILITIES: Partial<TransportCapabilities> = Object.freeze({
  rawText: false,
  customProgressToken: false,
  progressBeforeResponse: false,
  totalTimeoutWithoutProgress: false,
});
