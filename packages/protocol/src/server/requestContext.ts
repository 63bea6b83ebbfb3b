import { methodOf, type NotificationTarget } from '../defineNotification.js';
import type { RequestOptions } from '../engine/requestOptions.js';
import { ProtocolError } from '../errors.js';
import type { ClientCapabilities, LoggingLevel, Root } from '../schemas/primitives.js';
import type { CreateMessageRequestParams, ElicitRequestParams } from '../schemas/requests.js';
import {
  CreateMessageResultSchema,
  ElicitResultSchema,
  ListRootsResultSchema,
  type CreateMessageResult,
  type ElicitResult,
} from '../schemas/results.js';
import { parseParams } from '../validate.js';
import { levelAllows } from './recipients.js';
import { runAsTaskFor } from './runAsTask.js';
import type { CallInfo, ServerCore } from './serverCore.js';
import type { InputRound } from './inputRound.js';
import type { ElicitOptions, InputOptions, PeerInfo, RequestContext, SampleOptions } from './types.js';

/** Methods a modern request's own stream may carry besides custom ones (2026-07-28 subscriptions §receiving). */
const MODERN_REQUEST_STREAM = new Set(['notifications/progress', 'notifications/message']);

/** Builds the `ctx` of one handler call. */
export function createRequestContext(core: ServerCore, call: CallInfo): RequestContext {
  const { connection, inbound, envelope } = call;
  const peer = peerOf(call);

  const log = async (level: LoggingLevel, data: unknown, logger?: string): Promise<boolean> => {
    if (!core.capabilities().logging) {
      throw new ProtocolError('CapabilityNotSupported', 'The server does not declare the logging capability');
    }
    const minimum = envelope ? envelope.logLevel : connection.data.logLevel;
    // Modern: no logLevel on the request means no log messages at all (2026-07-28 logging).
    if (envelope && minimum === undefined) return false;
    if (!levelAllows(minimum, level) || inbound.settled) return false;
    await inbound.notify('notifications/message', logger === undefined ? { level, data } : { level, data, logger });
    return true;
  };

  /** Checks that the client can be asked; on a modern request, returns the round that asks it. */
  const serverToClient = (capability: keyof ClientCapabilities, what: string): InputRound | undefined => {
    if (envelope) {
      if (!envelope.clientCapabilities[capability]) {
        throw new ProtocolError('MissingRequiredClientCapability', `${what} needs the client capability ${capability}`, {
          data: { requiredCapabilities: { [capability]: {} } },
        });
      }
      if (!call.round) {
        throw new ProtocolError(
          'CapabilityNotSupported',
          `${what} on a modern request is a multi round-trip request, which only tools/call, prompts/get and resources/read may make`,
        );
      }
      return call.round;
    }
    if (!peer.clientCapabilities[capability]) {
      throw new ProtocolError('CapabilityNotSupported', `${what} needs the client capability ${capability}, which the client did not declare`);
    }
    return undefined;
  };

  const ctx: RequestContext = {
    requestId: inbound.id,
    // A getter: most handlers never look, and an AbortController is not free.
    get signal() {
      return inbound.signal;
    },
    peer,
    reportProgress: (progress, total, message) => inbound.reportProgress(progress, total, message),
    log,
    debug: (data, logger) => log('debug', data, logger),
    info: (data, logger) => log('info', data, logger),
    notice: (data, logger) => log('notice', data, logger),
    warning: (data, logger) => log('warning', data, logger),
    error: (data, logger) => log('error', data, logger),
    critical: (data, logger) => log('critical', data, logger),
    alert: (data, logger) => log('alert', data, logger),
    emergency: (data, logger) => log('emergency', data, logger),
    async notify(target: NotificationTarget, params?: unknown): Promise<boolean> {
      const method = methodOf(target);
      if (envelope && method.startsWith('notifications/') && !MODERN_REQUEST_STREAM.has(method)) return false;
      if (inbound.settled) return false;
      await inbound.notify(method, params as Record<string, unknown> | undefined);
      return true;
    },
    sendToolListChanged: () => core.listChanged('tools'),
    sendResourceListChanged: () => core.listChanged('resources'),
    sendPromptListChanged: () => core.listChanged('prompts'),
    async listRoots(options: InputOptions = {}): Promise<Root[]> {
      const round = serverToClient('roots', 'roots/list');
      if (!round) return connection.listRoots(inbound.id);
      return parseParams(ListRootsResultSchema, await round.ask('roots/list', {}, options.key), 'roots/list input response').roots;
    },
    async sample(params: CreateMessageRequestParams, options: SampleOptions = {}): Promise<CreateMessageResult> {
      const round = serverToClient('sampling', 'sampling/createMessage');
      if (round) {
        const raw = await round.ask('sampling/createMessage', params as Record<string, unknown>, options.key);
        return parseParams(CreateMessageResultSchema, raw, 'sampling input response');
      }
      const stop = startHeartbeat(core, inbound, options.heartbeatMs ?? 5000);
      try {
        const raw = await inbound.request('sampling/createMessage', params as Record<string, unknown>, withSignal(options, inbound.signal));
        return parseParams(CreateMessageResultSchema, raw, 'sampling result');
      } finally {
        stop();
      }
    },
    async elicit(params: ElicitRequestParams, options: ElicitOptions = {}): Promise<ElicitResult> {
      const round = serverToClient('elicitation', 'elicitation/create');
      if (round) {
        const raw = await round.ask('elicitation/create', params as Record<string, unknown>, options.key);
        return parseParams(ElicitResultSchema, raw, 'elicitation input response');
      }
      const raw = await inbound.request('elicitation/create', params as Record<string, unknown>, withSignal(options, inbound.signal));
      return parseParams(ElicitResultSchema, raw, 'elicitation result');
    },
    runAsTask: runAsTaskFor(core, call, () => ctx),
  };
  return ctx;
}

function peerOf({ connection, envelope }: CallInfo): PeerInfo {
  if (envelope) {
    return {
      era: 'modern',
      sessionId: undefined,
      protocolVersion: envelope.protocolVersion,
      clientInfo: envelope.clientInfo,
      clientCapabilities: envelope.clientCapabilities,
      transport: connection.transportKind,
    };
  }
  const session = connection.sessionInfo();
  return {
    era: 'legacy',
    sessionId: session.id,
    protocolVersion: session.protocolVersion,
    clientInfo: session.clientInfo,
    clientCapabilities: session.clientCapabilities,
    transport: session.transport,
  };
}

/** A server→client request made for a handler stops when the handler's request is cancelled. */
function withSignal<T extends RequestOptions>(options: T, signal: AbortSignal): T {
  return options.signal ? options : { ...options, signal };
}

/**
 * Keeps the tool's caller from timing out while the client samples
 * (PROTOCOL.md §sampling-heartbeat): each beat reports progress a hair above
 * the last value, so the tool's own later progress still increases.
 */
function startHeartbeat(core: ServerCore, inbound: CallInfo['inbound'], intervalMs: number): () => void {
  if (intervalMs <= 0 || inbound.progressToken === undefined) return () => {};
  let handle: unknown;
  let stopped = false;
  const beat = (): void => {
    if (stopped) return;
    const last = inbound.lastProgress ?? 0;
    const next = last + Math.max(1e-6, Math.abs(last) * 1e-9);
    inbound.reportProgress(next, undefined, 'Waiting for the client to answer a sampling request').catch(() => {});
    handle = core.clock.setTimeout(beat, intervalMs);
  };
  handle = core.clock.setTimeout(beat, intervalMs);
  return () => {
    stopped = true;
    core.clock.clearTimeout(handle);
  };
}
