import { negotiateLegacyVersion, SUPPORTED_PROTOCOL_VERSIONS } from '../era/versions.js';
import { ProtocolError } from '../errors.js';
import type { Root } from '../schemas/primitives.js';
import { InitializeRequestParamsSchema } from '../schemas/requests.js';
import { ListRootsResultSchema } from '../schemas/results.js';
import { beginInitialize, completeInitialize, type LegacyHandshake } from '../session/legacySession.js';
import { parseParams } from '../validate.js';
import type { SharedSessionState } from '../session/sharedSession.js';
import { legacyCapabilities } from './legacyTasks.js';
import type { ServerConnection } from './serverConnection.js';
import type { ServerCore } from './serverCore.js';
import type { SessionInfo } from './types.js';

/** Brings a connection's legacy session up to the state another node left in the store. */
export function applySharedState(connection: ServerConnection, state: SharedSessionState): void {
  if (connection.state.kind === 'new') {
    connection.state = beginInitialize(connection.state, { protocolVersion: state.protocolVersion, clientInfo: state.clientInfo, clientCapabilities: state.clientCapabilities });
  }
  if (state.ready && connection.state.kind === 'initializing') connection.state = completeInitialize(connection.state);
  const data = connection.data;
  data.logLevel = state.logLevel;
  data.subscriptions = state.subscriptions && new Set(state.subscriptions);
}

/** What most clients declare: shared, so an idle session does not keep an empty object of its own. */
const NO_CAPABILITIES = Object.freeze({});

/** A legacy `initialize`: the handshake the session keeps, and the result the client gets. */
export function initializeExchange(core: ServerCore, params: Record<string, unknown> | undefined): { handshake: LegacyHandshake; result: Record<string, unknown> } {
  const request = parseParams(InitializeRequestParamsSchema, params);
  const protocolVersion = negotiateLegacyVersion(request.protocolVersion);
  const declared = request.capabilities;
  const { instructions } = core.options;
  return {
    handshake: { protocolVersion, clientInfo: request.clientInfo, clientCapabilities: Object.keys(declared).length === 0 ? NO_CAPABILITIES : declared },
    result: {
      protocolVersion,
      capabilities: legacyCapabilities(core.capabilities(), protocolVersion),
      serverInfo: core.info,
      ...(instructions === undefined ? {} : { instructions }),
    },
  };
}

/** The result of `server/discover` (before the modern decoration). */
export function discoverResult(core: ServerCore): Record<string, unknown> {
  const { instructions, cacheHints } = core.options;
  return {
    supportedVersions: [...SUPPORTED_PROTOCOL_VERSIONS],
    capabilities: core.capabilities(),
    ...(instructions === undefined ? {} : { instructions }),
    ...(cacheHints ?? { ttlMs: 0, cacheScope: 'private' }),
  };
}

/** What another node needs to serve a legacy session (PROTOCOL.md §shared-sessions). */
export function sharedStateOf(connection: ServerConnection): SharedSessionState {
  const { state } = connection;
  const handshake = state.kind === 'ready' || state.kind === 'initializing' ? state : undefined;
  const { logLevel, subscriptions } = connection.data;
  return {
    ready: state.kind === 'ready',
    protocolVersion: handshake?.protocolVersion ?? '',
    ...(handshake?.clientInfo === undefined ? {} : { clientInfo: handshake.clientInfo }),
    clientCapabilities: handshake?.clientCapabilities ?? {},
    ...(logLevel === undefined ? {} : { logLevel }),
    ...(subscriptions?.size ? { subscriptions: [...subscriptions] } : {}),
  };
}

/** Snapshot of a legacy session. */
export function sessionInfoOf(connection: ServerConnection): SessionInfo {
  const { state } = connection;
  const handshake = state.kind === 'ready' || state.kind === 'initializing' ? state : undefined;
  return {
    id: connection.sessionId,
    era: 'legacy',
    kind: 'session',
    transport: connection.transportKind,
    protocolVersion: handshake?.protocolVersion ?? '',
    clientInfo: handshake?.clientInfo,
    clientCapabilities: handshake?.clientCapabilities ?? {},
    createdAt: connection.createdAt,
    lastSeenAt: connection.lastSeenAt,
  };
}

/** Asks a legacy client for its roots, and keeps them beside its session. */
export async function listRootsOf(connection: ServerConnection, relatedRequestId?: string | number): Promise<Root[]> {
  const { state } = connection;
  if (state.kind !== 'ready' && state.kind !== 'initializing') {
    throw new ProtocolError('InvalidRequest', 'roots/list needs an initialized legacy session');
  }
  if (!state.clientCapabilities.roots) {
    throw new ProtocolError('CapabilityNotSupported', 'The client did not declare the roots capability');
  }
  const raw = await connection.engine.request('roots/list', undefined, relatedRequestId === undefined ? {} : { relatedRequestId });
  const { roots } = parseParams(ListRootsResultSchema, raw, 'roots/list result');
  connection.data.roots = roots;
  return roots;
}
