/** Protocol revisions of the legacy era (initialize handshake), newest first. */
export const LEGACY_PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'] as const;

/** Protocol revisions of the modern era (per-request `_meta`), newest first. */
export const MODERN_PROTOCOL_VERSIONS = ['2026-07-28'] as const;

/** Newest legacy revision, offered by clients in `initialize`. */
export const LATEST_LEGACY_VERSION = LEGACY_PROTOCOL_VERSIONS[0];

/** Newest modern revision, put in every modern request's `_meta`. */
export const LATEST_MODERN_VERSION = MODERN_PROTOCOL_VERSIONS[0];

/** The two protocol eras in the field (PROTOCOL.md §eras). */
export type Era = 'legacy' | 'modern';

/** Reserved `_meta` keys of the modern envelope and of listen streams. */
export const META = {
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  logLevel: 'io.modelcontextprotocol/logLevel',
  serverInfo: 'io.modelcontextprotocol/serverInfo',
  subscriptionId: 'io.modelcontextprotocol/subscriptionId',
} as const;

/**
 * Input requests one round of a multi round-trip request may carry: the
 * server refuses to ask for more, the client to answer more (a bound on both
 * sides' work per round).
 */
export const MAX_INPUT_REQUESTS = 256;
