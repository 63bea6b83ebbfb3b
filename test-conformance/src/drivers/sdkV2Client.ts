import {
  Client,
  LOG_LEVEL_META_KEY,
  ProtocolError as SdkProtocolError,
  SdkError,
  SdkErrorCode,
  type McpSubscription,
  type NotificationMethod as SdkNotificationMethod,
  type RequestOptions as V2RequestOptions,
  type Transport as V2Transport,
} from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import {
  CallToolResultSchema,
  CreateMessageRequestParamsSchema,
  CUSTOM_NOTIFICATIONS_FILTER_KEY,
  EmptyResultSchema,
  ImplementationSchema,
  isNotificationMethod,
  LATEST_MODERN_VERSION,
  parseParams,
  ProtocolError,
  ServerCapabilitiesSchema,
  type Era,
  type LoggingLevel,
  type ProtocolErrorCode,
  type RequestOptions,
  type Root,
  type SubscriptionFilter,
} from '@tidings/protocol';
import { z } from 'zod';
import type { DriverOptions, ScenarioClient } from '../types.js';
import { inboundContext, NotificationHandlers } from './sdkV1Client.js';

/** Largest delay `setTimeout` honours; a longer one (or Infinity) fires at once in Node. */
const MAX_TIMER_MS = 2_147_483_647;

/** Notifications the v2 `Protocol` handles itself: replacing its handler would break it. */
const SDK_OWNED = new Set(['notifications/progress', 'notifications/cancelled', 'notifications/subscriptions/acknowledged']);

/** Handled methods that name a listen filter key (the rest ride on requests or the resource list). */
const LIST_FILTERS: ReadonlyArray<[string, keyof SubscriptionFilter]> = [
  ['notifications/tools/list_changed', 'toolsListChanged'],
  ['notifications/prompts/list_changed', 'promptsListChanged'],
  ['notifications/resources/list_changed', 'resourcesListChanged'],
];

/** Any result: the caller's schema validates it afterwards. */
const AnyResult = z.looseObject({});

/**
 * Opens an official TypeScript SDK v2 (`@modelcontextprotocol/client` 2.x)
 * `Client` over `transport` in `options.era` and wraps it as a
 * {@link ScenarioClient}. The era is forced with v2's `versionNegotiation`:
 * `{ pin: '2026-07-28' }` for modern (connect fails unless `server/discover`
 * offers it), `'legacy'` for the plain `initialize` handshake. Resolves once
 * connected; rejects with a Tidings `ProtocolError`. Called from a pairing's
 * `connectClient`.
 *
 * Modern era: the driver keeps one `client.listen(...)` subscription whose
 * filter matches the methods that have `on` handlers and the subscribed
 * resources (custom methods under the Tidings filter key), replacing it when
 * that changes; `listening()` resolves with its acknowledged filter.
 * `setLogLevel` makes later calls carry `_meta['io.modelcontextprotocol/logLevel']`
 * (v2 refuses `logging/setLevel` on a modern connection). Legacy era: the
 * same calls as the v1 driver (`setLoggingLevel`, `subscribeResource`,
 * `sendRootsListChanged`).
 */
export async function createSdkV2Driver(transport: V2Transport, options: DriverOptions): Promise<ScenarioClient> {
  let roots: readonly Root[] = options.roots ?? [];
  let logLevel: LoggingLevel | undefined;
  const resources = new Set<string>();
  const handlers = new NotificationHandlers();
  const sampling = options.onSamplingRequest;
  const client = new Client(
    { name: options.name, version: '1.0.0' },
    {
      capabilities: { roots: { listChanged: true }, ...(sampling ? { sampling: {} } : {}) },
      versionNegotiation: { mode: options.era === 'modern' ? { pin: LATEST_MODERN_VERSION } : 'legacy' },
    },
  );
  client.setRequestHandler('roots/list', () => ({ roots: [...roots] }));
  if (sampling) {
    client.setRequestHandler('sampling/createMessage', async (request, ctx) => {
      const params = parseParams(CreateMessageRequestParamsSchema, request.params, 'sampling/createMessage params');
      const { mcpReq } = ctx;
      const inbound = inboundContext({
        id: mcpReq.id,
        method: mcpReq.method,
        meta: mcpReq._meta,
        signal: mcpReq.signal,
        notify: (method, notificationParams) => mcpReq.notify({ method, ...(notificationParams && { params: notificationParams }) }),
        request: async (method, requestParams, requestOptions) => {
          try {
            return await mcpReq.send({ method, ...(requestParams && { params: requestParams }) }, AnyResult, toV2Options(requestOptions));
          } catch (error) {
            throw fromV2Error(error, requestOptions?.signal);
          }
        },
      });
      try {
        // The v2 client validates the result against its own sampling result schema.
        return (await sampling(params, inbound)) as never;
      } finally {
        inbound.finish();
      }
    });
  }

  const call = async <T>(signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw fromV2Error(error, signal);
    }
  };
  await call(undefined, () => client.connect(transport));
  const era: Era | undefined = client.getProtocolEra();
  const modern = era === 'modern';
  if (modern && transport instanceof StdioClientTransport) {
    // v2 probes a stdio server on a sibling process and resolves connect before the session's own
    // child has answered anything; wait for that child's first answer so a scenario's timings
    // measure the server, not its start-up (the Tidings and v1 clients' connect includes a round trip).
    await call(undefined, () => client.discover()).catch(async (error: unknown) => {
      await client.close().catch(() => {});
      throw error;
    });
  }

  const wanted = (): SubscriptionFilter => {
    const methods = handlers.methods();
    const filter: Record<string, unknown> = {};
    for (const [method, key] of LIST_FILTERS) if (methods.includes(method)) filter[key] = true;
    if (resources.size > 0) filter.resourceSubscriptions = [...resources];
    const custom = methods.filter((m) => !m.startsWith('notifications/'));
    if (custom.length > 0) filter[CUSTOM_NOTIFICATIONS_FILTER_KEY] = custom;
    return filter as SubscriptionFilter;
  };
  const listen = new ListenKeeper(modern ? (filter) => client.listen(filter) : undefined, wanted);

  // Modern logging is per request: the level rides in each request's `_meta` (2026-07-28 server/utilities/logging).
  const withLogLevel = <P extends Record<string, unknown> | undefined>(params: P): P | Record<string, unknown> =>
    modern && logLevel !== undefined ? { ...params, _meta: { ...(params?._meta as object | undefined), [LOG_LEVEL_META_KEY]: logLevel } } : params;

  const driver: ScenarioClient = {
    era,
    protocolVersion: client.getNegotiatedProtocolVersion(),
    serverInfo: parseOptional(ImplementationSchema, client.getServerVersion()),
    serverCapabilities: parseOptional(ServerCapabilitiesSchema, client.getServerCapabilities()),
    on(target, handler) {
      const method = typeof target === 'string' ? target : target.method;
      if (SDK_OWNED.has(method)) {
        throw new ProtocolError('CapabilityNotSupported', `The SDK v2 client consumes ${method} itself (progress reaches per-request onprogress callbacks only)`);
      }
      const { first, remove } = handlers.add(target, handler as (params: unknown) => void);
      if (first) {
        if (isNotificationMethod(method)) {
          client.setNotificationHandler(method as SdkNotificationMethod, (notification: { params?: unknown }) => handlers.dispatch(method, notification.params));
        } else {
          client.setNotificationHandler(method, { params: z.record(z.string(), z.unknown()) }, (params) => handlers.dispatch(method, params));
        }
      }
      void listen.sync().catch(() => {});
      return () => {
        if (remove()) client.removeNotificationHandler(method);
        void listen.sync().catch(() => {});
      };
    },
    listening: () => listen.sync(),
    callTool: (name, args, requestOptions) =>
      call(requestOptions?.signal, async () =>
        parseParams(
          CallToolResultSchema,
          await client.callTool(withLogLevel(args === undefined ? { name } : { name, arguments: args }) as { name: string }, toV2Options(requestOptions)),
          'tools/call result',
        ),
      ),
    request: (method, params, resultSchema, requestOptions) =>
      call(requestOptions?.signal, async () =>
        parseParams(resultSchema, await client.request({ method, params: withLogLevel(params) }, AnyResult, toV2Options(requestOptions)), `${method} result`),
      ),
    ping: (requestOptions) => call(requestOptions?.signal, async () => void (await client.ping(toV2Options(requestOptions)))),
    async subscribe(uri) {
      if (!modern) return call(undefined, async () => void parseParams(EmptyResultSchema, await client.subscribeResource({ uri })));
      resources.add(uri);
      await call(undefined, () => listen.sync());
    },
    async unsubscribe(uri) {
      if (!modern) return call(undefined, async () => void parseParams(EmptyResultSchema, await client.unsubscribeResource({ uri })));
      resources.delete(uri);
      await call(undefined, () => listen.sync());
    },
    async setLogLevel(level) {
      if (!modern) await call(undefined, () => client.setLoggingLevel(level));
      logLevel = level;
    },
    async setRoots(next) {
      roots = [...next];
      // Modern servers ask for roots inside a call (input_required), answered by the roots/list handler.
      if (!modern) await call(undefined, () => client.sendRootsListChanged());
    },
    async close() {
      await listen.close();
      await client.close();
    },
  };
  return driver;
}

/**
 * Keeps one v2 listen subscription in line with the filter the driver's
 * handlers want, like the Tidings client's ListenManager: `on` calls made in
 * one tick are merged into one reconciliation; a changed filter opens the new
 * subscription before closing the old one; an empty filter closes it.
 */
class ListenKeeper {
  readonly #open: ((filter: SubscriptionFilter) => Promise<McpSubscription>) | undefined;
  readonly #wanted: () => SubscriptionFilter;
  #current: { readonly key: string; readonly subscription: McpSubscription; alive: boolean } | undefined;
  #pending: Promise<SubscriptionFilter | undefined> | undefined;
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;

  /** `open` is undefined on a legacy connection, where nothing is kept. */
  constructor(open: ((filter: SubscriptionFilter) => Promise<McpSubscription>) | undefined, wanted: () => SubscriptionFilter) {
    this.#open = open;
    this.#wanted = wanted;
  }

  /** Resolves with the acknowledged filter once the subscription matches `wanted()`; undefined when there is none. */
  sync(): Promise<SubscriptionFilter | undefined> {
    if (!this.#open || this.#closed) return Promise.resolve(undefined);
    if (!this.#pending) {
      const pending = this.#tail
        .then(() => new Promise<void>((resolve) => queueMicrotask(resolve)))
        .then(() => {
          this.#pending = undefined;
          return this.#reconcile();
        });
      this.#pending = pending;
      this.#tail = pending.catch(() => undefined);
    }
    return this.#pending;
  }

  /** Closes the subscription for good (the driver is closing). */
  async close(): Promise<void> {
    this.#closed = true;
    const current = this.#current;
    this.#current = undefined;
    await current?.subscription.close().catch(() => {});
  }

  async #reconcile(): Promise<SubscriptionFilter | undefined> {
    if (this.#closed) return undefined;
    const filter = this.#wanted();
    const key = JSON.stringify(filter);
    const current = this.#current;
    if (Object.keys(filter).length === 0) {
      this.#current = undefined;
      await current?.subscription.close();
      return undefined;
    }
    if (current?.alive && current.key === key) return current.subscription.honoredFilter;
    const subscription = await this.#open!(filter);
    const next = { key, subscription, alive: true };
    void subscription.closed.then(() => (next.alive = false));
    this.#current = next;
    await current?.subscription.close();
    return subscription.honoredFilter;
  }
}

/** Tidings request options in v2 terms, with the Tidings defaults (reset on progress) made explicit. */
function toV2Options(options: RequestOptions | undefined): V2RequestOptions {
  if (options?.progressToken !== undefined) {
    throw new ProtocolError('CapabilityNotSupported', 'The SDK v2 client always uses its own progress token (the request id)');
  }
  const reset = options?.resetTimeoutOnProgress ?? true;
  const onProgress = options?.onProgress;
  const mapped: V2RequestOptions = { resetTimeoutOnProgress: reset };
  // v2 attaches a progress token only when there is a callback; the reset needs the token.
  if (onProgress || reset) {
    mapped.onprogress = (p) =>
      onProgress?.({ progress: p.progress, ...(p.total !== undefined && { total: p.total }), ...(p.message !== undefined && { message: p.message }) });
  }
  if (options?.timeout !== undefined) mapped.timeout = Math.min(options.timeout, MAX_TIMER_MS);
  if (options?.maxTotalTimeout !== undefined && Number.isFinite(options.maxTotalTimeout)) mapped.maxTotalTimeout = options.maxTotalTimeout;
  if (options?.signal) mapped.signal = options.signal;
  return mapped;
}

/** SDK error codes (local failures) in Tidings terms. */
const SDK_CODES: Partial<Record<SdkErrorCode, ProtocolErrorCode>> = {
  [SdkErrorCode.RequestTimeout]: 'RequestTimeout',
  [SdkErrorCode.ConnectionClosed]: 'ConnectionClosed',
  [SdkErrorCode.NotConnected]: 'ConnectionClosed',
  [SdkErrorCode.SendFailed]: 'ConnectionClosed',
  [SdkErrorCode.CapabilityNotSupported]: 'CapabilityNotSupported',
  [SdkErrorCode.MethodNotSupportedByProtocolVersion]: 'MethodNotFound',
  [SdkErrorCode.EraNegotiationFailed]: 'UnsupportedProtocolVersion',
  [SdkErrorCode.InvalidResult]: 'InvalidParams',
};

/**
 * Any failure of a v2 call as a Tidings `ProtocolError`: an abort of the
 * caller's signal is RequestCancelled (v2 reports it as an SdkError
 * RequestTimeout); a wire error keeps its JSON-RPC code; an SdkError maps by
 * its string code.
 */
function fromV2Error(error: unknown, signal: AbortSignal | undefined): ProtocolError {
  if (error instanceof ProtocolError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (signal?.aborted) return new ProtocolError('RequestCancelled', `Cancelled: ${message}`, { cause: error });
  if (error instanceof SdkProtocolError) {
    const wire = ProtocolError.fromWire({ code: error.code, message, data: error.data });
    return new ProtocolError(wire.code, wire.message, { data: wire.data, rpcCode: wire.rpcCode, cause: error });
  }
  if (error instanceof SdkError) return new ProtocolError(SDK_CODES[error.code] ?? 'InternalError', message, { data: error.data, cause: error });
  return new ProtocolError('InternalError', message, { cause: error });
}

function parseOptional<S extends z.ZodType>(schema: S, value: unknown): z.output<S> | undefined {
  return value === undefined ? undefined : parseParams(schema, value, 'server metadata');
}
