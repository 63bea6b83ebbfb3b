import type { z } from 'zod';
import { systemClock } from '../clock.js';
import { META, type Era } from '../constants.js';
import { methodOf, schemaOf } from '../defineNotification.js';
import { defaultDiagnosticHandler } from '../diagnostics.js';
import { createEngine, type Engine } from '../engine/createEngine.js';
import type { InboundRequestContext } from '../engine/inboundRequest.js';
import type { RequestOptions } from '../engine/requestOptions.js';
import { ProtocolError } from '../errors.js';
import type { JSONRPCNotification, JSONRPCRequest } from '../schemas/jsonrpc.js';
import type { ClientCapabilities, Implementation, LoggingLevel, Root, SubscriptionFilter } from '../schemas/primitives.js';
import {
  CallToolResultSchema,
  EmptyResultSchema,
  GetPromptResultSchema,
  ListPromptsResultSchema,
  ListResourceTemplatesResultSchema,
  ListResourcesResultSchema,
  ListToolsResultSchema,
  ReadResourceResultSchema,
} from '../schemas/results.js';
import { parseParams } from '../validate.js';
import type { Client, ListOptions } from './clientApi.js';
import { ClientTasks } from './clientTasks.js';
import { answerInputRequests, MAX_INPUT_ROUNDS } from './inputRequests.js';
import { ListenManager } from './listenManager.js';
import { modernEnvelope, negotiateEra, type ClientIdentity, type Negotiated } from './negotiateEra.js';
import { NotificationHandlers } from './notificationHandlers.js';
import { answerServerRequest } from './serverRequests.js';
import { declaresTasks } from '../server/taskMethods.js';
import { callToolAsTask, declaringTasks, serverPushesTasks, unexpectedTask, type RawRequest } from './toolTaskCall.js';
import type { TaskCallOptions } from './taskTypes.js';
import type { ClientOptions, EraCache } from './types.js';

export type { Client } from './clientApi.js';

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

  const syncListen = (): Promise<SubscriptionFilter | undefined> => listen?.sync() ?? Promise.resolve(undefined);

  const answer = (message: JSONRPCRequest, ctx: InboundRequestContext): Promise<unknown> =>
    answerServerRequest(message, ctx, { roots: () => roots, sampling: () => sampling, elicitation: () => elicitation });

  /**
   * Sends a request in the negotiated era and goes through its input rounds;
   * resolves with the raw result. `withTasks` declares the tasks extension on
   * this request (ext-tasks §Capability Negotiation: per request).
   */
  const send: RawRequest = async (method, params, requestOptions, withTasks = false) => {
    const { engine: e, negotiated: n } = connected();
    let outgoing = params;
    if (n.era === 'modern') {
      const meta = params?._meta as Record<string, unknown> | undefined;
      const who = withTasks ? declaringTasks(identity!) : identity!;
      outgoing = { ...params, _meta: { ...meta, ...modernEnvelope(who, n.protocolVersion, logLevel) } };
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
    return raw;
  };

  const tasks = new ClientTasks({
    clock,
    report,
    answer,
    send: (method, params, requestOptions) => send(method, params, requestOptions, true),
    syncListen: () => void syncListen().catch(() => {}),
  });

  const wantedFilter = (): SubscriptionFilter => {
    const filter = handlers.filter(resourceSubscriptions, options.onNotification !== undefined);
    const taskIds = tasks.taskIds();
    return taskIds ? ({ ...filter, taskIds } as SubscriptionFilter) : filter;
  };

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
    // Task statuses go to their handles (and to `on` handlers, never to the catch-all).
    if (tasks.notified(method, params)) return void handlers.deliver(method, params);
    if (!handlers.deliver(method, params)) options.onNotification?.({ method, params });
  };

  const request = async <S extends z.ZodType>(
    method: string,
    params: Record<string, unknown> | undefined,
    schema: S,
    requestOptions?: RequestOptions,
  ): Promise<z.output<S>> => {
    const raw = await send(method, params, requestOptions);
    // Only a tools/call that declared the extension may be answered with a task (ext-tasks §Capability Negotiation).
    if (raw?.resultType === 'task') {
      throw unexpectedTask(method);
    }
    return parseParams(schema, raw, `${method} result`);
  };

  /** One page of a list request: the cursor goes in the params, the rest are the request's options. */
  const list = <S extends z.ZodType>(method: string, schema: S, options: ListOptions = {}): Promise<z.output<S>> => {
    const { cursor, ...requestOptions } = options;
    return request(method, cursor === undefined ? undefined : { cursor }, schema, requestOptions);
  };

  /** Whether the connected server speaks the legacy era (throws when not connected). */
  const isLegacy = (): boolean => connected().negotiated.era === 'legacy';

  const client: Client = {
    async connect(transport) {
      if (engine && !engine.closed) throw new ProtocolError('InvalidRequest', 'The client is already connected');
      // A new connection: a drop from now on pauses the modern tasks instead of ending them.
      closing = false;
      identity = { info, capabilities: capabilities(), probeTimeoutMs: options.probeTimeoutMs ?? 5000 };
      const e = createEngine({
        transport,
        clock,
        onDiagnostic: report,
        onError: options.onError,
        onClose: (reason) => {
          listen?.close();
          if (closing) tasks.close();
          else tasks.disconnected();
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
          envelope: (filter) => modernEnvelope((filter as { taskIds?: unknown }).taskIds ? declaringTasks(identity!) : identity!, version),
          onAcknowledged: (honoured, continuous) => tasks.acknowledged(honoured, continuous),
          onLost: () => tasks.listenLost(),
        });
      }
      tasks.connected(negotiated.era, serverPushesTasks(negotiated));
      await syncListen();
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
    callTool: ((name: string, args: Record<string, unknown> | undefined, requestOptions?: RequestOptions | TaskCallOptions) => {
      const { negotiated: n } = connected();
      const params = args === undefined ? { name } : { name, arguments: args };
      const asTask = (requestOptions as TaskCallOptions | undefined)?.task === true;
      // A client that declared the extension itself may get a task to a plain call: it is followed to its result.
      if (!asTask && !(n.era === 'modern' && declaresTasks(identity!.capabilities))) {
        return request('tools/call', params, CallToolResultSchema, requestOptions);
      }
      const task = callToolAsTask({ send, tasks, negotiated: n }, params, { ...requestOptions, task: true } as TaskCallOptions);
      return asTask ? task : task.then((handle) => handle.result);
    }) as Client['callTool'],
    watchTask(taskId, observe) {
      return tasks.watch(taskId, connected().negotiated.era === 'legacy', observe);
    },
    request,
    async ping(requestOptions) {
      if (!isLegacy()) throw new ProtocolError('MethodNotFound', 'ping does not exist in the modern era');
      await request('ping', undefined, EmptyResultSchema, requestOptions);
    },
    listTools: (o) => list('tools/list', ListToolsResultSchema, o),
    listResources: (o) => list('resources/list', ListResourcesResultSchema, o),
    listResourceTemplates: (o) => list('resources/templates/list', ListResourceTemplatesResultSchema, o),
    listPrompts: (o) => list('prompts/list', ListPromptsResultSchema, o),
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
      tasks.close();
      await engine?.close();
    },
  };
  return client;
}
