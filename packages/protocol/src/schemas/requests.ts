import * as z from 'zod';
import { META, type Era } from '../constants.js';
import {
  AudioContentSchema,
  ClientCapabilitiesSchema,
  ContentBlockSchema,
  ImageContentSchema,
  ImplementationSchema,
  LoggingLevelSchema,
  MetaSchema,
  ProgressTokenSchema,
  RoleSchema,
  SubscriptionFilterSchema,
  TextContentSchema,
  ToolSchema,
} from './primitives.js';

/**
 * Validates a request's `_meta`: `progressToken` and the modern envelope keys.
 * All optional here: a modern server checks their presence itself, to answer
 * with the right error.
 */
export const RequestMetaSchema = z.looseObject({
  progressToken: ProgressTokenSchema.optional(),
  [META.protocolVersion]: z.string().optional(),
  [META.clientInfo]: ImplementationSchema.optional(),
  [META.clientCapabilities]: ClientCapabilitiesSchema.optional(),
  [META.logLevel]: LoggingLevelSchema.optional(),
});
/** A request's `_meta`. */
export type RequestMeta = z.infer<typeof RequestMetaSchema>;

/** Validates the members every request's params may carry (`_meta`); extend it for custom requests. */
export const RequestParamsSchema = z.looseObject({ _meta: RequestMetaSchema.optional() });
/** Params common to every request. */
export type RequestParams = z.infer<typeof RequestParamsSchema>;

// Requests whose params may be absent read them as `{}` (a zod default, a fresh object
// each time), as the optional-params notifications do.
const OptionalParamsSchema = RequestParamsSchema.default(() => ({}));

/** Validates `initialize` params (legacy handshake). */
export const InitializeRequestParamsSchema = RequestParamsSchema.extend({
  protocolVersion: z.string(),
  capabilities: ClientCapabilitiesSchema,
  clientInfo: ImplementationSchema,
});
/** `initialize` params. */
export type InitializeRequestParams = z.infer<typeof InitializeRequestParamsSchema>;

/** Validates `ping` params (legacy); may be absent. */
export const PingRequestParamsSchema = OptionalParamsSchema;
/** `ping` params. */
export type PingRequestParams = z.infer<typeof PingRequestParamsSchema>;

/** Validates `server/discover` params (modern); only `_meta`. */
export const DiscoverRequestParamsSchema = OptionalParamsSchema;
/** `server/discover` params. */
export type DiscoverRequestParams = z.infer<typeof DiscoverRequestParamsSchema>;

/** Validates `subscriptions/listen` params (modern): the requested filter. */
export const SubscriptionsListenRequestParamsSchema = RequestParamsSchema.extend({
  notifications: SubscriptionFilterSchema,
});
/** `subscriptions/listen` params. */
export type SubscriptionsListenRequestParams = z.infer<typeof SubscriptionsListenRequestParamsSchema>;

/** Validates the params of a list request: an optional opaque `cursor`; may be absent. */
export const PaginatedRequestParamsSchema = RequestParamsSchema.extend({ cursor: z.string().optional() }).default(() => ({}));
/** Params of a list request. */
export type PaginatedRequestParams = z.infer<typeof PaginatedRequestParamsSchema>;

/** Validates `tools/list` params. */
export const ListToolsRequestParamsSchema = PaginatedRequestParamsSchema;
/** Validates `resources/list` params. */
export const ListResourcesRequestParamsSchema = PaginatedRequestParamsSchema;
/** Validates `resources/templates/list` params. */
export const ListResourceTemplatesRequestParamsSchema = PaginatedRequestParamsSchema;
/** Validates `prompts/list` params. */
export const ListPromptsRequestParamsSchema = PaginatedRequestParamsSchema;
/** `tools/list` params. */
export type ListToolsRequestParams = PaginatedRequestParams;
/** `resources/list` params. */
export type ListResourcesRequestParams = PaginatedRequestParams;
/** `resources/templates/list` params. */
export type ListResourceTemplatesRequestParams = PaginatedRequestParams;
/** `prompts/list` params. */
export type ListPromptsRequestParams = PaginatedRequestParams;

/** Validates `tools/call` params: the tool `name` and its `arguments`. */
export const CallToolRequestParamsSchema = RequestParamsSchema.extend({
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()).optional(),
});
/** `tools/call` params. */
export type CallToolRequestParams = z.infer<typeof CallToolRequestParamsSchema>;

/** Validates params naming one resource by `uri` (read, subscribe, unsubscribe). */
export const ResourceRequestParamsSchema = RequestParamsSchema.extend({ uri: z.string() });
/** Params naming one resource. */
export type ResourceRequestParams = z.infer<typeof ResourceRequestParamsSchema>;
/** Validates `resources/read` params. */
export const ReadResourceRequestParamsSchema = ResourceRequestParamsSchema;
/** Validates `resources/subscribe` params (legacy). */
export const SubscribeRequestParamsSchema = ResourceRequestParamsSchema;
/** Validates `resources/unsubscribe` params (legacy). */
export const UnsubscribeRequestParamsSchema = ResourceRequestParamsSchema;
/** `resources/read` params. */
export type ReadResourceRequestParams = ResourceRequestParams;
/** `resources/subscribe` params. */
export type SubscribeRequestParams = ResourceRequestParams;
/** `resources/unsubscribe` params. */
export type UnsubscribeRequestParams = ResourceRequestParams;

/** Validates `prompts/get` params: the prompt `name` and its string `arguments`. */
export const GetPromptRequestParamsSchema = RequestParamsSchema.extend({
  name: z.string(),
  arguments: z.record(z.string(), z.string()).optional(),
});
/** `prompts/get` params. */
export type GetPromptRequestParams = z.infer<typeof GetPromptRequestParamsSchema>;

/** Validates `logging/setLevel` params (legacy). */
export const SetLevelRequestParamsSchema = RequestParamsSchema.extend({ level: LoggingLevelSchema });
/** `logging/setLevel` params. */
export type SetLevelRequestParams = z.infer<typeof SetLevelRequestParamsSchema>;

/** Validates `roots/list` params (server → client); may be absent. */
export const ListRootsRequestParamsSchema = OptionalParamsSchema;
/** `roots/list` params. */
export type ListRootsRequestParams = z.infer<typeof ListRootsRequestParamsSchema>;

/** Validates a model's request to call a tool, inside sampling. */
export const ToolUseContentSchema = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.record(z.string(), z.unknown()),
  _meta: MetaSchema.optional(),
});
/** A tool use block. */
export type ToolUseContent = z.infer<typeof ToolUseContentSchema>;

/** Validates the outcome of a tool use, sent back inside sampling. */
export const ToolResultContentSchema = z.looseObject({
  type: z.literal('tool_result'),
  toolUseId: z.string(),
  content: z.array(ContentBlockSchema),
  structuredContent: z.unknown().optional(),
  isError: z.boolean().optional(),
  _meta: MetaSchema.optional(),
});
/** A tool result block. */
export type ToolResultContent = z.infer<typeof ToolResultContentSchema>;

/** Validates one content block of a sampling message. */
export const SamplingContentSchema = z.discriminatedUnion('type', [
  TextContentSchema,
  ImageContentSchema,
  AudioContentSchema,
  ToolUseContentSchema,
  ToolResultContentSchema,
]);
/** A sampling content block. */
export type SamplingContent = z.infer<typeof SamplingContentSchema>;

/** Validates a message of a sampling conversation: one block or several. */
export const SamplingMessageSchema = z.looseObject({
  role: RoleSchema,
  content: z.union([SamplingContentSchema, z.array(SamplingContentSchema)]),
  _meta: MetaSchema.optional(),
});
/** A sampling message. */
export type SamplingMessage = z.infer<typeof SamplingMessageSchema>;

/** Validates `sampling/createMessage` params (server → client). */
export const CreateMessageRequestParamsSchema = RequestParamsSchema.extend({
  messages: z.array(SamplingMessageSchema),
  maxTokens: z.number(),
  systemPrompt: z.string().optional(),
  includeContext: z.enum(['none', 'thisServer', 'allServers']).optional(),
  temperature: z.number().optional(),
  stopSequences: z.array(z.string()).optional(),
  modelPreferences: z.looseObject({}).optional(),
  metadata: z.looseObject({}).optional(),
  tools: z.array(ToolSchema).optional(),
  toolChoice: z.looseObject({ mode: z.enum(['auto', 'required', 'none']).optional() }).optional(),
});
/** `sampling/createMessage` params. */
export type CreateMessageRequestParams = z.infer<typeof CreateMessageRequestParamsSchema>;

/** Validates form-mode `elicitation/create` params: a `message` and a flat JSON Schema of fields. */
export const ElicitFormRequestParamsSchema = RequestParamsSchema.extend({
  mode: z.literal('form').optional(),
  message: z.string(),
  requestedSchema: z.looseObject({
    type: z.literal('object'),
    properties: z.record(z.string(), z.looseObject({})),
    required: z.array(z.string()).optional(),
  }),
});
/** Form-mode `elicitation/create` params. */
export type ElicitFormRequestParams = z.infer<typeof ElicitFormRequestParamsSchema>;

/** Validates URL-mode `elicitation/create` params (2025-11-25): the user is sent to `url`. */
export const ElicitURLRequestParamsSchema = RequestParamsSchema.extend({
  mode: z.literal('url'),
  message: z.string(),
  elicitationId: z.string(),
  url: z.string(),
});
/** URL-mode `elicitation/create` params. */
export type ElicitURLRequestParams = z.infer<typeof ElicitURLRequestParamsSchema>;

/** Validates `elicitation/create` params (server → client), form or URL mode, told apart by `mode`. */
export const ElicitRequestParamsSchema = z.discriminatedUnion('mode', [
  ElicitFormRequestParamsSchema,
  ElicitURLRequestParamsSchema,
]);
/** `elicitation/create` params. */
export type ElicitRequestParams = z.infer<typeof ElicitRequestParamsSchema>;

/** Validates what `completion/complete` completes: a prompt argument or a resource template variable. */
export const CompletionReferenceSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('ref/prompt'), name: z.string(), title: z.string().optional() }),
  z.looseObject({ type: z.literal('ref/resource'), uri: z.string() }),
]);
/** A completion reference. */
export type CompletionReference = z.infer<typeof CompletionReferenceSchema>;

/** Validates `completion/complete` params. */
export const CompleteRequestParamsSchema = RequestParamsSchema.extend({
  ref: CompletionReferenceSchema,
  argument: z.looseObject({ name: z.string(), value: z.string() }),
  context: z.looseObject({ arguments: z.record(z.string(), z.string()).optional() }).optional(),
});
/** `completion/complete` params. */
export type CompleteRequestParams = z.infer<typeof CompleteRequestParamsSchema>;

/** The params schema of every MCP request the roles send or serve, keyed by method. */
export const requestSchemas = {
  initialize: InitializeRequestParamsSchema,
  ping: PingRequestParamsSchema,
  'server/discover': DiscoverRequestParamsSchema,
  'subscriptions/listen': SubscriptionsListenRequestParamsSchema,
  'tools/list': ListToolsRequestParamsSchema,
  'tools/call': CallToolRequestParamsSchema,
  'resources/list': ListResourcesRequestParamsSchema,
  'resources/templates/list': ListResourceTemplatesRequestParamsSchema,
  'resources/read': ReadResourceRequestParamsSchema,
  'resources/subscribe': SubscribeRequestParamsSchema,
  'resources/unsubscribe': UnsubscribeRequestParamsSchema,
  'prompts/list': ListPromptsRequestParamsSchema,
  'prompts/get': GetPromptRequestParamsSchema,
  'logging/setLevel': SetLevelRequestParamsSchema,
  'roots/list': ListRootsRequestParamsSchema,
  'sampling/createMessage': CreateMessageRequestParamsSchema,
  'elicitation/create': ElicitRequestParamsSchema,
  'completion/complete': CompleteRequestParamsSchema,
} as const satisfies Record<string, z.ZodType>;

/** Method of a request MCP defines. */
export type RequestMethod = keyof typeof requestSchemas;
/** Params of request `M` after validation (absent optional params read as `{}`). */
export type RequestParamsOf<M extends RequestMethod> = z.output<(typeof requestSchemas)[M]>;

/** Whether `method` is one of the requests in {@link requestSchemas}. */
export function isRequestMethod(method: string): method is RequestMethod {
  return Object.hasOwn(requestSchemas, method);
}

/**
 * The eras in which each method travels as a standalone JSON-RPC request. A
 * legacy-only method inside a modern envelope is answered MethodNotFound
 * (DESIGN §0); modern servers ask for roots, sampling and elicitation inside
 * results instead, which is why those three are legacy here.
 */
export const REQUEST_ERAS = {
  initialize: ['legacy'],
  ping: ['legacy'],
  'server/discover': ['modern'],
  'subscriptions/listen': ['modern'],
  'tools/list': ['legacy', 'modern'],
  'tools/call': ['legacy', 'modern'],
  'resources/list': ['legacy', 'modern'],
  'resources/templates/list': ['legacy', 'modern'],
  'resources/read': ['legacy', 'modern'],
  'resources/subscribe': ['legacy'],
  'resources/unsubscribe': ['legacy'],
  'prompts/list': ['legacy', 'modern'],
  'prompts/get': ['legacy', 'modern'],
  'logging/setLevel': ['legacy'],
  'roots/list': ['legacy'],
  'sampling/createMessage': ['legacy'],
  'elicitation/create': ['legacy'],
  'completion/complete': ['legacy', 'modern'],
} as const satisfies Record<RequestMethod, readonly Era[]>;
