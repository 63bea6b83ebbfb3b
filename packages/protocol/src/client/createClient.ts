import type { z } from 'zod';
import { systemClock } from '../clock.js';
import { META, type Era } from '../constants.js';
import { methodOf, schemaOf, type NotificationTarget, type ParamsOutput } from '../defineNotification.js';
import { defaultDiagnosticHandler } from '../diagnostics.js';
import { createEngine, type Engine } from '../engine/createEngine.js';
import type { InboundRequestContext } from '../engine/inboundRequest.js';
import type { RequestOptions } from '../engine/requestOptions.js';
import { ProtocolError } from '../errors.js';
import type { JSONRPCNotification, JSONRPCRequest } from '../schemas/jsonrpc.js';
import type { ClientCapabilities, Implementation, LoggingLevel, Root, ServerCapabilities, SubscriptionFilter } from '../schemas/primitives.js';
import {
  CallToolResultSchema,
  EmptyResultSchema,
  GetPromptResultSchema,
  ListPromptsResultSchema,
  ListResourceTemplatesResultSchema,
  ListResourcesResultSchema,
  ListToolsResultSchema,
  ReadResourceResultSchema,
  type CallToolResult,
  type GetPromptResult,
  type ListPromptsResult,
  type ListResourceTemplatesResult,
  type ListResourcesResult,
  type ListToolsResult,
  type ReadResourceResult,
} from '../schemas/results.js';
import type { Transport } from '../transport.js';
import { parseParams } from '../validate.js';
import { answerInputRequests, MAX_INPUT_ROUNDS } from './inputRequests.js';
import { ListenManager } from './listenManager.js';
import { modernEnvelope, negotiateEra, type ClientIdentity, type Negotiated } from './negotiateEra.js';
import { NotificationHandlers } from './notificationHandlers.js';
import { answerServerRequest } from './serverRequests.js';
import type { ClientOptions, ElicitationHandler, EraCache, SamplingHandler } from './types.js';

/** A Tidings MCP client: the same calls whichever era the server speaks. */
export interface Client {
  /** Connects and negotiates the era (PROTOCOL.md §negotiation). Resolves once the client can make calls. */
  connect(transport: Transport): Promise<void>;
  /** The negotiated era; undefined before `connect`. */
  readonly era: Era | undefined;
  /** The negotiated revision; undefined before `connect`. */
  readonly protocolVersion: string | undefined;
  /** What the server said it is. */
  readonly serverInfo: Implementation | undefined;
  /** The capabilities the server declared (initialize or server/discover). */
  readonly serverCapabilities: ServerCapabilities | undefined;
  /** The server's guidance for the model, if any. */
  readonly instructions: string | undefined;
  /**
   * Handles one notification method (typed for MCP methods and descriptors).
   * On a modern server the client keeps a listen subscription open for the
   * types that have handlers. Returns the function that removes the handler.
   */
  on<T extends NotificationTarget>(target: T, handler: (params: ParamsOutput<T>) => void): () => void;
  /** Resolves with the filter the server acknowledged once the listen subscription matches the handlers (modern); undefined otherwise. */
  listening(): Promise<SubscriptionFilter | undefined>;
  /** Calls a tool; progress, timeouts and cancellation through `options` (PROTOCOL.md §progress). */
  callTool(name: string, args?: Record<string, unknown>, options?: RequestOptions): Promise<CallToolResult>;
  /** Any request; the result is validated by `resultSchema`. */
  request<S extends z.ZodType>(method: string, params: Record<string, unknown> | undefined, resultSchema: S, options?: RequestOptions): Promise<z.output<S>>;
  /** Legacy only: modern servers have no ping. */
  ping(options?: RequestOptions): Promise<void>;
  /** tools/list. */
  listTools(options?: RequestOptions): Promise<ListToolsResult>;
  /** resources/list. */
  listResources(options?: RequestOptions): Promise<ListResourcesResult>;
  /** resources/templates/list. */
  listResourceTemplates(options?: RequestOptions): Promise<ListResourceTemplatesResult>;
  /** prompts/list. */
  listPrompts(options?: RequestOptions): Promise<ListPromptsResult>;
  /** resources/read. */
  readResource(uri: string, options?: RequestOptions): Promise<ReadResourceResult>;
  /** prompts/get. */
  getPrompt(name: string, args?: Record<string, string>, options?: RequestOptions): Promise<GetPromptResult>;
  /** Subscribes to a resource's updates (legacy: resources/subscribe; modern: the listen filter). */
  subscribe(uri: string): Promise<void>;
  /** Ends a resource subscription (legacy: resources/unsubscribe; modern: the listen filter). */
  unsubscribe(uri: string): Promise<void>;
  /** Legacy: logging/setLevel; modern: the `logLevel` of every later request. */
  setLogLevel(level: LoggingLevel): Promise<void>;
  /** Replaces the roots offered to the server; a legacy server is told through roots/list_changed. */
  setRoots(roots: readonly Root[]): Promise<void>;
  /** Answers sampling/createMessage from a legacy server; declare it before `connect` so the capability is sent. */
  setSamplingHandler(handler: SamplingHandler | undefined): void;
  /** Answers elicitation/create from a legacy server; declare it before `connect` so the capability is sent. */
  setElicitationHandler(handler: ElicitationHandler | undefined): void;
  /** Closes the connection; pending requests reject with ConnectionClosed. */
  close(): Promise<void>;
}

/** Creates a client. Call `connect` with a transport from an adapter (or the memory pair). */
export function createClient(info: Implementation, options: ClientOptions = {}): Client {
  const clock = options.clock ?? systemClock;
  const report = options.onDiagnostic ?? defaultDiagnosticHandler;
  const handlers = new NotificationHandlers(report);
  const resourceSubscriptions = new Set<string>();
  const ownCache = new Map<string, Era>();
  /** `close()` was called: what still arrives is for subscriptions it ended. */
  let closing = false;
  const eraCache: EraCache = options.eraCache ?? { get: (k) => ownCache.get(k), set: (k, v) => void ownCache.set(k, v) };
  const cacheKey = options.cacheKey ?? 'default';
  let roots: readonly Root[] = options.roots ?? [];
  let sampling = options.onSamplingRequest;
  let elicitation = options.onElicitationRequest;
  let logLevel: LoggingLevel | undefined;
  let engine: Engine | undefined;
  let negotiated: Negotiated | undefined;
  let listen: ListenManager | undefined;
  let identity: ClientIdentity | undefined;

  const capabilities = (): ClientCapabilities => {
    const declared: ClientCapabilities = { ...options.capabilities };
    if (!declared.roots) declared.roots = { listChanged: true };
    if (sampling && !declared.sampling) declared.sampling = {};
    if (elicitation && !declared.elicitation) declared.elicitation = {};
    return declared;
  };

  const connected = (): { engine: Engine; negotiated: Negotiated } => {
    if (!engine || !negotiated) throw new ProtocolError('ConnectionClosed', 'The client is not connected');
    return { engine, negotiated };
  };

  const wantedFilter = (): SubscriptionFilter => handlers.filter(resourceSubscriptions, options.onNotification !== undefined);

  const syncListen = (): Promise<SubscriptionFilter | undefined> => listen?.sync() ?? Promise.resolve(undefined);

  const dispatch = (notification: JSONRPCNotification): void => {
    const { method } = notification;
    const params = notification.params as Record<string, unknown> | undefined;
    if (method === 'notifications/subscriptions/acknowledged') return listen?.acknowledged(params);
    if (method === 'notifications/cancelled') return;
    const subscriptionId = (params?._meta as Record<string, unknown> | undefined)?.[META.subscriptionId];
    if (subscriptionId !== undefined && listen && !listen.owns(subscriptionId)) {
      // Notifications already on their way when the client closed belong to the listen it just ended.
      if (closing) return;
      report({ kind: 'notification-invalid', method, error: new ProtocolError('InvalidParams', `Unknown subscription ${String(subscriptionId)}`) });
      return;
    }
    if (!handlers.deliver(method, params)) options.onNotification?.({ method, params });
  };

  const answer = (message: JSONRPCRequest, ctx: InboundRequestContext): Promise<unknown> =>
    answerServerRequest(message, ctx, { roots: () => roots, sampling: () => sampling, elicitation: () => elicitation });

  const request = async <S extends z.ZodType>(
    method: string,
    params: Record<string, unknown> | undefined,
    schema: S,
    requestOptions?: RequestOptions,
  ): Promise<z.output<S>> => {
    const { engine: e, negotiated: n } = connected();
    let outgoing = params;
    if (n.era === 'modern') {
      const meta = params?._meta as Record<string, unknown> | undefined;
      outgoing = { ...params, _meta: { ...meta, ...modernEnvelope(identity!, n.protocolVersion, logLevel) } };
    }
    let raw = (await e.request(method, outgoing, requestOptions)) as Record<string, unknown> | undefined;
    // A multi round-trip request (2026-07-28 mrtr): answer what the server asks, then send the request again under a new id.
    for (let round = 1; raw?.resultType === 'input_required'; round++) {
      if (round > MAX_INPUT_ROUNDS) {
        throw new ProtocolError('InternalError', `The server still asked for input to ${method} after ${MAX_INPUT_ROUNDS} rounds`);
      }
      const inputResponses = await answerInputRequests(raw.inputRequests, answer, requestOptions?.signal);
      const retry: Record<string, unknown> = { ...outgoing, inputResponses };
      if (raw.requestState !== undefined) retry.requestState = raw.requestState;
      raw = (await e.request(method, retry, requestOptions)) as Record<string, unknown> | undefined;
    }
    return parseParams(schema, raw, `${method} result`);
  };

  /** Whether the connected server speaks the legacy era (throws when not connected). */
  const isLegacy = (): boolean => connected().negotiated.era === 'legacy';

  const client: Client = {
    async connect(transport) {
      if (engine && !engine.closed) throw new ProtocolError('InvalidRequest', 'The client is already connected');
      identity = { info, capabilities: capabilities(), probeTimeoutMs: options.probeTimeoutMs ?? 5000 };
      const e = createEngine({
        transport,
        clock,
        onDiagnostic: report,
        onError: options.onError,
        onClose: (reason) => {
          listen?.close();
          options.onClose?.(reason);
        },
        handler: { request: answer, notification: dispatch },
      });
      engine = e;
      negotiated = undefined;
      try {
        negotiated = await negotiateEra(e, eraCache.get(cacheKey) ?? options.era ?? 'auto', identity);
      } catch (error) {
        await e.close();
        throw error;
      }
      eraCache.set(cacheKey, negotiated.era);
      if (negotiated.era === 'modern') {
        const version = negotiated.protocolVersion;
        listen = new ListenManager({
          engine: e,
          clock,
          report,
          retryMs: options.listenRetryMs ?? 100,
          wanted: wantedFilter,
          envelope: () => modernEnvelope(identity!, version),
        });
        await syncListen();
      }
    },
    get era() {
      return negotiated?.era;
    },
    get protocolVersion() {
      return negotiated?.protocolVersion;
    },
    get serverInfo() {
      return negotiated?.serverInfo;
    },
    get serverCapabilities() {
      return negotiated?.serverCapabilities;
    },
    get instructions() {
      return negotiated?.instructions;
    },
    on(target, handler) {
      const remove = handlers.add(methodOf(target), schemaOf(target), handler as (params: unknown) => void);
      void syncListen().catch(() => {});
      return () => {
        remove();
        void syncListen().catch(() => {});
      };
    },
    listening: syncListen,
    callTool: (name, args, requestOptions) =>
      request('tools/call', args === undefined ? { name } : { name, arguments: args }, CallToolResultSchema, requestOptions),
    request,
    async ping(requestOptions) {
      if (!isLegacy()) throw new ProtocolError('MethodNotFound', 'ping does not exist in the modern era');
      await request('ping', undefined, EmptyResultSchema, requestOptions);
    },
    listTools: (o) => request('tools/list', undefined, ListToolsResultSchema, o),
    listResources: (o) => request('resources/list', undefined, ListResourcesResultSchema, o),
    listResourceTemplates: (o) => request('resources/templates/list', undefined, ListResourceTemplatesResultSchema, o),
    listPrompts: (o) => request('prompts/list', undefined, ListPromptsResultSchema, o),
    readResource: (uri, o) => request('resources/read', { uri }, ReadResourceResultSchema, o),
    getPrompt: (name, args, o) => request('prompts/get', args === undefined ? { name } : { name, arguments: args }, GetPromptResultSchema, o),
    async subscribe(uri) {
      if (isLegacy()) {
        await request('resources/subscribe', { uri }, EmptyResultSchema);
        return;
      }
      resourceSubscriptions.add(uri);
      await syncListen();
    },
    async unsubscribe(uri) {
      if (isLegacy()) {
        await request('resources/unsubscribe', { uri }, EmptyResultSchema);
        return;
      }
      resourceSubscriptions.delete(uri);
      await syncListen();
    },
    async setLogLevel(level) {
      if (isLegacy()) await request('logging/setLevel', { level }, EmptyResultSchema);
      logLevel = level;
    },
    async setRoots(next) {
      roots = [...next];
      if (!engine || !negotiated || negotiated.era !== 'legacy') return;
      if (!identity?.capabilities.roots?.listChanged) {
        throw new ProtocolError('CapabilityNotSupported', 'The client did not declare roots.listChanged, so it cannot announce new roots');
      }
      await engine.notify('notifications/roots/list_changed');
    },
    setSamplingHandler(handler) {
      sampling = handler;
    },
    setElicitationHandler(handler) {
      elicitation = handler;
    },
    async close() {
      closing = true;
      listen?.close();
      await engine?.close();
    },
  };
  return client;
}
