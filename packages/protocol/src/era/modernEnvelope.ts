import { META, MODERN_PROTOCOL_VERSIONS } from '../constants.js';
import { ProtocolError } from '../errors.js';
import { LOGGING_LEVELS, type ClientCapabilities, type Implementation, type LoggingLevel } from '../schemas/primitives.js';
import { LEGACY_ONLY_METHODS } from './classifyRequest.js';
import { SUPPORTED_PROTOCOL_VERSIONS } from './versions.js';

/** The per-request identity of a modern client, read from `_meta`. */
export interface ModernEnvelope {
  /** The revision the request names. */
  readonly protocolVersion: string;
  /** The capabilities declared for this request. */
  readonly clientCapabilities: ClientCapabilities;
  /** What the client said it is, if it did. */
  readonly clientInfo: Implementation | undefined;
  /** The minimum log level for this request; undefined means no logs. */
  readonly logLevel: LoggingLevel | undefined;
}

/**
 * Validates the envelope of a modern request (2026-07-28 basic/index §_meta,
 * versioning): missing required keys are −32602, an unknown revision is
 * −32022 with `supported`/`requested`, a legacy-only method is −32601.
 */
export function readModernEnvelope(method: string, params: unknown): ModernEnvelope {
  const meta = (params as { _meta?: Record<string, unknown> } | undefined)?._meta ?? {};
  const missing: string[] = [];
  const version = meta[META.protocolVersion];
  const capabilities = meta[META.clientCapabilities];
  if (typeof version !== 'string') missing.push(META.protocolVersion);
  if (typeof capabilities !== 'object' || capabilities === null || Array.isArray(capabilities)) {
    missing.push(META.clientCapabilities);
  }
  if (missing.length > 0) {
    throw new ProtocolError('InvalidParams', `Missing or malformed _meta keys: ${missing.join(', ')}`, { data: { missing } });
  }
  if (!(MODERN_PROTOCOL_VERSIONS as readonly string[]).includes(version as string)) {
    throw new ProtocolError('UnsupportedProtocolVersion', 'Unsupported protocol version', {
      data: { supported: [...SUPPORTED_PROTOCOL_VERSIONS], requested: version },
    });
  }
  if (LEGACY_ONLY_METHODS.has(method)) {
    throw new ProtocolError('MethodNotFound', `Method not found: ${method} does not exist in protocol ${version as string}`);
  }
  const level = meta[META.logLevel];
  if (level !== undefined && !(LOGGING_LEVELS as readonly unknown[]).includes(level)) {
    throw new ProtocolError('InvalidParams', `Unknown log level ${JSON.stringify(level)}`);
  }
  const info = meta[META.clientInfo];
  return {
    protocolVersion: version as string,
    clientCapabilities: capabilities as ClientCapabilities,
    clientInfo: typeof info === 'object' && info !== null ? (info as Implementation) : undefined,
    logLevel: level as LoggingLevel | undefined,
  };
}

/** Adds `resultType` and the server's identity to a modern result (2026-07-28 schema §Result). */
export function decorateModernResult(result: unknown, serverInfo: Implementation): Record<string, unknown> {
  const body = (typeof result === 'object' && result !== null ? result : {}) as Record<string, unknown>;
  const meta = body._meta as Record<string, unknown> | undefined;
  return {
    ...body,
    resultType: body.resultType ?? 'complete',
    _meta: { ...meta, [META.serverInfo]: serverInfo },
  };
}
