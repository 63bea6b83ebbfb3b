import { LATEST_LEGACY_VERSION, LATEST_MODERN_VERSION, META, MODERN_PROTOCOL_VERSIONS, type Era } from '../constants.js';
import type { Engine } from '../engine/createEngine.js';
import { isLegacyVersion, isModernVersion } from '../era/versions.js';
import { ERROR_CODES, ProtocolError } from '../errors.js';
import { isModernErrorCode } from '../era/modernErrorCodes.js';
import type { ClientCapabilities, Implementation, ServerCapabilities } from '../schemas/primitives.js';
import { DiscoverResultSchema, InitializeResultSchema } from '../schemas/results.js';
import { parseParams } from '../validate.js';
import type { EraPreference } from './types.js';

/** What a client learned about its server while connecting. */
export interface Negotiated {
  readonly era: Era;
  readonly protocolVersion: string;
  readonly serverInfo: Implementation | undefined;
  readonly serverCapabilities: ServerCapabilities;
  readonly instructions: string | undefined;
}

/** The client's identity, as negotiation needs it. */
export interface ClientIdentity {
  readonly info: Implementation;
  readonly capabilities: ClientCapabilities;
  readonly probeTimeoutMs: number;
}

/** The modern `_meta` envelope for one request. */
export function modernEnvelope(identity: ClientIdentity, protocolVersion: string, logLevel?: string): Record<string, unknown> {
  const meta: Record<string, unknown> = {
    [META.protocolVersion]: protocolVersion,
    [META.clientInfo]: identity.info,
    [META.clientCapabilities]: identity.capabilities,
  };
  if (logLevel !== undefined) meta[META.logLevel] = logLevel;
  return meta;
}

/**
 * Settles the era with a server (PROTOCOL.md §negotiation). `auto` probes
 * with `server/discover`; a result or a recognised modern error means modern,
 * anything else (another error, no answer in time) means legacy.
 */
export async function negotiateEra(engine: Engine, preference: EraPreference, identity: ClientIdentity): Promise<Negotiated> {
  if (preference === 'legacy') return initialize(engine, identity);
  if (preference === 'modern') return discover(engine, identity, LATEST_MODERN_VERSION, Infinity);
  try {
    return await discover(engine, identity, LATEST_MODERN_VERSION, identity.probeTimeoutMs);
  } catch (error) {
    if (error instanceof ProtocolError && error.code === 'ConnectionClosed') throw error;
    const retry = modernRetryVersion(error);
    if (retry === 'legacy') return initialize(engine, identity);
    if (retry) return discover(engine, identity, retry, identity.probeTimeoutMs);
    if (error instanceof ProtocolError && isModernErrorCode(ERROR_CODES[error.code])) throw error;
    return initialize(engine, identity);
  }
}

/** From a −32022 answer: a modern version to retry with, 'legacy' when only legacy ones are offered. */
function modernRetryVersion(error: unknown): string | 'legacy' | undefined {
  if (!(error instanceof ProtocolError) || error.code !== 'UnsupportedProtocolVersion') return undefined;
  const supported = (error.data as { supported?: unknown } | undefined)?.supported;
  if (!Array.isArray(supported)) return undefined;
  const modern = supported.find(isModernVersion);
  if (modern) return modern as string;
  return supported.some(isLegacyVersion) ? 'legacy' : undefined;
}

async function discover(engine: Engine, identity: ClientIdentity, version: string, timeout: number): Promise<Negotiated> {
  const raw = await engine.request(
    'server/discover',
    { _meta: modernEnvelope(identity, version) },
    { timeout, resetTimeoutOnProgress: false },
  );
  const result = parseParams(DiscoverResultSchema.partial({ ttlMs: true, cacheScope: true }), raw, 'server/discover result');
  const chosen = result.supportedVersions.find((v) => (MODERN_PROTOCOL_VERSIONS as readonly string[]).includes(v));
  if (!chosen) {
    if (result.supportedVersions.some(isLegacyVersion)) return initialize(engine, identity);
    throw new ProtocolError('UnsupportedProtocolVersion', `The server supports none of our versions`, {
      data: { supported: result.supportedVersions, requested: version },
    });
  }
  return {
    era: 'modern',
    protocolVersion: chosen,
    serverInfo: (result._meta as Record<string, unknown> | undefined)?.[META.serverInfo] as Implementation | undefined,
    serverCapabilities: result.capabilities,
    instructions: result.instructions,
  };
}

async function initialize(engine: Engine, identity: ClientIdentity): Promise<Negotiated> {
  const raw = await engine.request('initialize', {
    protocolVersion: LATEST_LEGACY_VERSION,
    capabilities: identity.capabilities,
    clientInfo: identity.info,
  }, { resetTimeoutOnProgress: false });
  const result = parseParams(InitializeResultSchema, raw, 'initialize result');
  if (!isLegacyVersion(result.protocolVersion)) {
    throw new ProtocolError('UnsupportedProtocolVersion', `The server chose protocol ${result.protocolVersion}, which this client does not speak`, {
      data: { requested: LATEST_LEGACY_VERSION, supported: [result.protocolVersion] },
    });
  }
  await engine.notify('notifications/initialized');
  return {
    era: 'legacy',
    protocolVersion: result.protocolVersion,
    serverInfo: result.serverInfo,
    serverCapabilities: result.capabilities,
    instructions: result.instructions,
  };
}
