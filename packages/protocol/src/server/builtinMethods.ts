import { ProtocolError } from '../errors.js';
import {
  CallToolRequestParamsSchema,
  GetPromptRequestParamsSchema,
  ReadResourceRequestParamsSchema,
  SetLevelRequestParamsSchema,
  SubscribeRequestParamsSchema,
} from '../schemas/requests.js';
import { parseParams } from '../validate.js';
import type { Catalog } from './catalog.js';
import { serveListen } from './listen.js';
import type { CallInfo, MethodHandler, ServerCore } from './serverCore.js';
import { checkLegacyToolCall, legacyCreateTaskResult } from './legacyTasks.js';
import { declaresTasks, taskMethods, tasksCapabilityMissing } from './taskMethods.js';

/** The methods every Tidings server answers, over its catalog. */
export function builtinMethods(core: ServerCore, catalog: Catalog): Map<string, MethodHandler> {
  const cacheable = (call: CallInfo, body: Record<string, unknown>): Record<string, unknown> =>
    call.envelope ? { ...body, ...(core.options.cacheHints ?? { ttlMs: 0, cacheScope: 'private' }) } : body;

  // The resource-not-found code changed between eras (2026-07-28 changelog, minor change 6).
  const notFound = (call: CallInfo) => (uri: string) =>
    call.envelope
      ? new ProtocolError('InvalidParams', `Resource not found: ${uri}`, { data: { uri } })
      : new ProtocolError('ResourceNotFound', `Resource not found: ${uri}`, { data: { uri } });

  // A shared session's change holds on every node before the client hears it was made.
  const shared = (call: CallInfo): {} | Promise<{}> => (call.connection.engine.transport.shared ? call.connection.shareChange().then(() => ({})) : {});

  const subscription = (add: boolean): MethodHandler => (params, _ctx, call) => {
    if (!core.capabilities().resources?.subscribe) {
      throw new ProtocolError('MethodNotFound', 'This server does not support resource subscriptions');
    }
    const { uri } = parseParams(SubscribeRequestParamsSchema, params);
    const data = call.connection.data;
    if (add) (data.subscriptions ??= new Set()).add(uri);
    else data.subscriptions?.delete(uri);
    return shared(call);
  };

  return new Map<string, MethodHandler>([
    ['tools/list', (_p, _ctx, call) => cacheable(call, { tools: [...catalog.tools.values()].map((t) => t.listing) })],
    [
      'tools/call',
      (params, ctx, call) => {
        const { name, arguments: args } = parseParams(CallToolRequestParamsSchema, params);
        // A tool that only runs as a task cannot serve a modern client without the extension (ext-tasks §Capability Negotiation).
        if (call.envelope && call.taskSupport === 'required' && !declaresTasks(call.envelope.clientCapabilities)) {
          throw tasksCapabilityMissing(`the tool ${name}`);
        }
        checkLegacyToolCall(core, call, name);
        if (!call.legacyTask || call.taskSupport === 'forbidden') return catalog.callTool(name, args, ctx);
        return catalog.callTool(name, args, ctx).then((outcome) => legacyCreateTaskResult(core, call, outcome));
      },
    ],
    ['resources/list', (_p, _ctx, call) => cacheable(call, { resources: [...catalog.resources.values()].map((r) => r.listing) })],
    [
      'resources/templates/list',
      (_p, _ctx, call) => cacheable(call, { resourceTemplates: [...catalog.templates.values()].map((t) => t.listing) }),
    ],
    [
      'resources/read',
      async (params, ctx, call) => {
        const { uri } = parseParams(ReadResourceRequestParamsSchema, params);
        return cacheable(call, await catalog.readResource(uri, ctx, notFound(call)));
      },
    ],
    ['prompts/list', (_p, _ctx, call) => cacheable(call, { prompts: [...catalog.prompts.values()].map((p) => p.listing) })],
    [
      'prompts/get',
      (params, ctx) => {
        const { name, arguments: args } = parseParams(GetPromptRequestParamsSchema, params);
        return catalog.getPrompt(name, args ?? {}, ctx);
      },
    ],
    [
      'logging/setLevel',
      (params, _ctx, call) => {
        const { level } = parseParams(SetLevelRequestParamsSchema, params);
        call.connection.data.logLevel = level;
        return shared(call);
      },
    ],
    ['resources/subscribe', subscription(true)],
    ['resources/unsubscribe', subscription(false)],
    ['subscriptions/listen', (params, _ctx, call) => serveListen(core, params, call)],
    ...taskMethods(core),
  ]);
}
