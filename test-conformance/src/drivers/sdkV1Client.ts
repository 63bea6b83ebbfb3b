import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions as V1RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { Transport as V1Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CreateMessageRequestSchema, ListRootsRequestSchema, McpError, ResultSchema } from '@modelcontextprotocol/sdk/types.js';
import {
  CallToolResultSchema,
  CreateMessageRequestParamsSchema,
  EmptyResultSchema,
  ImplementationSchema,
  isNotificationMethod,
  notificationSchemas,
  parseParams,
  ProtocolError,
  ServerCapabilitiesSchema,
  toProtocolError,
  type InboundRequestContext,
  type NotificationTarget,
  type RequestOptions,
  type Root,
} from '@tidings/protocol';
import { z } from 'zod';
import type { DriverOptions, ScenarioClient } from '../types.js';

/** Largest delay `setTimeout` honours; a longer one (or Infinity) fires at once in Node. */
const MAX_TIMER_MS = 2_147_483_647;

/** Notifications the v1 `Protocol` handles itself: replacing its handler would break it. */
const SDK_OWNED = new Set(['notifications/progress', 'notifications/cancelled']);

/**
 * Opens an official TypeScript SDK v1 (`@modelcontextprotocol/sdk` 1.x)
 * `Client` over `transport` and wraps it as a {@link ScenarioClient}, so the
 * conformance scenarios drive it exactly as they drive the Tidings client.
 * Legacy era only (v1 has no `server/discover`). Resolves once `initialize`
 * completed; rejects with a `ProtocolError` when it failed or when the modern
 * era is asked for. Called from a pairing's `connectClient`.
 *
 * The mapping, call by call: `callTool` → `client.callTool` with the v1
 * request options (`onprogress`, `timeout`, `resetTimeoutOnProgress`,
 * `maxTotalTimeout`, `signal`; Tidings defaults applied, so a timeout is re-armed
 * by progress unless told otherwise); `on` → `setNotificationHandler` with a
 * zod schema naming the method; `subscribe` → `subscribeResource`;
 * `setLogLevel` → `setLoggingLevel`; `setRoots` → `sendRootsListChanged`
 * (the roots capability and `roots/list` handler are always declared);
 * `onSamplingRequest` → a `sampling/createMessage` handler. Every failure is
 * rethrown as a Tidings `ProtocolError`, so scenarios can branch on `code`.
 */
export async function createSdkV1Driver(transport: V1Transport, options: DriverOptions): Promise<ScenarioClient> {
  if (options.era !== 'legacy') {
    await transport.close().catch(() => {});
    throw new ProtocolError('UnsupportedProtocolVersion', 'The SDK v1 client speaks the legacy era only');
  }
  let roots: readonly Root[] = options.roots ?? [];
  let protocolVersion: string | undefined;
  const handlers = new NotificationHandlers();
  const sampling = options.onSamplingRequest;
  const client = new Client(
    { name: options.name, version: '1.0.0' },
    { capabilities: { roots: { listChanged: true }, ...(sampling ? { sampling: {} } : {}) } },
  );
  client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: [...roots] }));
  if (sampling) {
    client.setRequestHandler(CreateMessageRequestSchema, async (request, extra) => {
      const params = parseParams(CreateMessageRequestParamsSchema, request.params, 'sampling/createMessage params');
      // `as never`: v1 types what a handler sends as its closed unions of spec messages.
      const ctx = inboundContext({
        id: extra.requestId,
        method: request.method,
        meta: extra._meta,
        signal: extra.signal,
        notify: (method, notificationParams) => extra.sendNotification({ method, ...(notificationParams && { params: notificationParams }) } as never),
        request: async (method, requestParams, requestOptions) => {
          try {
            return await extra.sendRequest({ method, ...(requestParams && { params: requestParams }) } as never, ResultSchema, toV1Options(requestOptions));
          } catch (error) {
            throw fromV1Error(error, requestOptions?.signal);
          }
        },
      });
      try {
        // The v1 client validates the result against its own CreateMessageResultSchema.
        return (await sampling(params, ctx)) as never;
      } finally {
        ctx.finish();
      }
    });
  }
  // v1 keeps no negotiated version of its own: it hands it to the transport, so listen there.
  const setProtocolVersion = transport.setProtocolVersion?.bind(transport);
  transport.setProtocolVersion = (version) => {
    protocolVersion = version;
    setProtocolVersion?.(version);
  };

  try {
    await client.connect(transport);
  } catch (error) {
    throw fromV1Error(error, undefined);
  }

  const call = async <T>(signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw fromV1Error(error, signal);
    }
  };

  const driver: ScenarioClient = {
    era: 'legacy',
    protocolVersion,
    serverInfo: parseOptional(ImplementationSchema, client.getServerVersion()),
    serverCapabilities: parseOptional(ServerCapabilitiesSchema, client.getServerCapabilities()),
    on(target, handler) {
      const method = typeof target === 'string' ? target : target.method;
      if (SDK_OWNED.has(method)) {
        throw new ProtocolError('CapabilityNotSupported', `The SDK v1 client consumes ${method} itself (progress reaches per-request onprogress callbacks only)`);
      }
      const { first, remove } = handlers.add(target, handler as (params: unknown) => void);
      if (first) {
        const schema = z.object({ method: z.literal(method), params: z.unknown().optional() });
        client.setNotificationHandler(schema, (notification) => handlers.dispatch(method, notification.params));
      }
      return () => {
        if (remove()) client.removeNotificationHandler(method);
      };
    },
    listening: () => Promise.resolve(undefined),
    callTool: (name, args, requestOptions) =>
      call(requestOptions?.signal, async () =>
        parseParams(
          CallToolResultSchema,
          await client.callTool(args === undefined ? { name } : { name, arguments: args }, undefined, toV1Options(requestOptions)),
          'tools/call result',
        ),
      ),
    request: (method, params, resultSchema, requestOptions) =>
      call(requestOptions?.signal, async () =>
        parseParams(resultSchema, await client.request({ method, params }, ResultSchema, toV1Options(requestOptions)), `${method} result`),
      ),
    ping: (requestOptions) => call(requestOptions?.signal, async () => void (await client.ping(toV1Options(requestOptions)))),
    subscribe: (uri) => call(undefined, async () => void parseParams(EmptyResultSchema, await client.subscribeResource({ uri }))),
    unsubscribe: (uri) => call(undefined, async () => void parseParams(EmptyResultSchema, await client.unsubscribeResource({ uri }))),
    setLogLevel: (level) => call(undefined, async () => void (await client.setLoggingLevel(level))),
    async setRoots(next) {
      roots = [...next];
      await call(undefined, () => client.sendRootsListChanged());
    },
    close: () => client.close(),
  };
  return driver;
}

/**
 * The handlers registered through a driver's `on`, several per method like
 * the Tidings client, each validating the params with the schema Tidings
 * knows for the method (or the descriptor's own).
 */
export class NotificationHandlers {
  readonly #byMethod = new Map<string, Set<{ readonly schema: z.ZodType | undefined; readonly fn: (params: unknown) => void }>>();

  /** Methods that have at least one handler. */
  methods(): string[] {
    return [...this.#byMethod.keys()];
  }

  /**
   * Adds a handler. `first` tells the caller to register the method with its
   * SDK; `remove` returns true when it removed the method's last handler.
   */
  add(target: NotificationTarget, fn: (params: unknown) => void): { first: boolean; remove: () => boolean } {
    const method = typeof target === 'string' ? target : target.method;
    const schema: z.ZodType | undefined =
      typeof target !== 'string' ? target.params : isNotificationMethod(method) ? notificationSchemas[method] : undefined;
    const entry = { schema, fn };
    let set = this.#byMethod.get(method);
    const first = !set;
    if (!set) this.#byMethod.set(method, (set = new Set()));
    set.add(entry);
    return {
      first,
      remove: () => {
        if (!set.delete(entry) || set.size > 0 || this.#byMethod.get(method) !== set) return false;
        this.#byMethod.delete(method);
        return true;
      },
    };
  }

  /** Calls every handler of `method`; params that fail a handler's schema skip that handler, as in the Tidings client. */
  dispatch(method: string, params: unknown): void {
    for (const entry of this.#byMethod.get(method) ?? []) {
      const parsed = entry.schema ? entry.schema.safeParse(params ?? {}) : { success: true as const, data: params ?? {} };
      if (!parsed.success) continue;
      try {
        entry.fn(parsed.data);
      } catch {
        // A scenario's handler must not break the SDK's dispatch of the next one.
      }
    }
  }
}

/** Tidings request options in v1 terms, with the Tidings defaults (reset on progress) made explicit. */
function toV1Options(options: RequestOptions | undefined): V1RequestOptions {
  if (options?.progressToken !== undefined) {
    throw new ProtocolError('CapabilityNotSupported', 'The SDK v1 client always uses its own progress token (the request id)');
  }
  const reset = options?.resetTimeoutOnProgress ?? true;
  const onProgress = options?.onProgress;
  const mapped: V1RequestOptions = { resetTimeoutOnProgress: reset };
  // v1 attaches a progress token only when there is a callback; the reset needs the token.
  if (onProgress || reset) {
    mapped.onprogress = (p) => onProgress?.({ progress: p.progress, ...(p.total !== undefined && { total: p.total }), ...(p.message !== undefined && { message: p.message }) });
  }
  if (options?.timeout !== undefined) mapped.timeout = Math.min(options.timeout, MAX_TIMER_MS);
  if (options?.maxTotalTimeout !== undefined && Number.isFinite(options.maxTotalTimeout)) mapped.maxTotalTimeout = options.maxTotalTimeout;
  if (options?.signal) mapped.signal = options.signal;
  return mapped;
}

/**
 * Any failure of a v1 call as a Tidings `ProtocolError`: an abort of the
 * caller's signal is RequestCancelled (v1 reports it as a RequestTimeout
 * McpError carrying the reason); an McpError keeps its wire code (v1's
 * RequestTimeout and ConnectionClosed numbers are the Tidings ones).
 */
function fromV1Error(error: unknown, signal: AbortSignal | undefined): ProtocolError {
  if (error instanceof ProtocolError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (signal?.aborted) return new ProtocolError('RequestCancelled', `Cancelled: ${message}`, { cause: error });
  if (error instanceof McpError) return withCause(ProtocolError.fromWire({ code: error.code, message, data: error.data }), error);
  if (/not connected/i.test(message)) return new ProtocolError('ConnectionClosed', message, { cause: error });
  return new ProtocolError('InternalError', message, { cause: error });
}

function withCause(error: ProtocolError, cause: unknown): ProtocolError {
  return new ProtocolError(error.code, error.message, { data: error.data, rpcCode: error.rpcCode, cause });
}

function parseOptional<S extends z.ZodType>(schema: S, value: unknown): z.output<S> | undefined {
  return value === undefined ? undefined : parseParams(schema, value, 'server metadata');
}

/** One request the server sent to a driven client, as the driver sees it. */
export interface PeerRequest {
  readonly id: string | number;
  readonly method: string;
  readonly meta: Record<string, unknown> | undefined;
  /** Aborted when the server cancels the request. */
  readonly signal: AbortSignal;
  /** Sends a notification related to this request. */
  notify(method: string, params: Record<string, unknown> | undefined): Promise<void>;
  /** Sends a request related to this request (rejecting with a Tidings `ProtocolError`). */
  request(method: string, params: Record<string, unknown> | undefined, options: RequestOptions | undefined): Promise<unknown>;
}

/**
 * The Tidings handler context over an SDK handler's request, for
 * `onSamplingRequest`: its signal is the SDK's (aborted when the server
 * cancels), progress and notifications go out related to the request. The
 * driver calls `finish` once the handler returned, which settles it.
 */
export function inboundContext(peer: PeerRequest): InboundRequestContext & { finish(): void } {
  let last: number | undefined;
  let settled = false;
  let markResponded!: () => void;
  const responded = new Promise<void>((resolve) => (markResponded = resolve));
  const token = peer.meta?.progressToken;
  const progressToken = typeof token === 'string' || typeof token === 'number' ? token : undefined;
  return {
    id: peer.id,
    method: peer.method,
    meta: peer.meta,
    signal: peer.signal,
    progressToken,
    get settled() {
      return settled || peer.signal.aborted;
    },
    get lastProgress() {
      return last;
    },
    responded,
    async reportProgress(progress, total, message) {
      if (progressToken === undefined || settled) return;
      if (last !== undefined && !(progress > last)) {
        throw new ProtocolError('InvalidParams', `progress must increase: ${progress} does not exceed ${last}`);
      }
      last = progress;
      await peer.notify('notifications/progress', {
        progressToken,
        progress,
        ...(total !== undefined && { total }),
        ...(message !== undefined && { message }),
      });
    },
    async notify(method, params) {
      if (!settled) await peer.notify(method, params);
    },
    request: (method, params, options) => peer.request(method, params, options),
    whenAborted(listener) {
      if (peer.signal.aborted) return listener.aborted(toProtocolError(peer.signal.reason));
      peer.signal.addEventListener('abort', () => listener.aborted(toProtocolError(peer.signal.reason)), { once: true });
    },
    finish() {
      settled = true;
      markResponded();
    },
  };
}
