import * as z from 'zod';
import { META } from '../constants.js';
import { RequestIdSchema } from './jsonrpc.js';
import {
  ContentBlockSchema,
  ImplementationSchema,
  PromptMessageSchema,
  PromptSchema,
  ResourceContentsSchema,
  ResourceSchema,
  ResourceTemplateSchema,
  RoleSchema,
  RootSchema,
  ServerCapabilitiesSchema,
  ToolSchema,
} from './primitives.js';
import type { RequestMethod } from './requests.js';
import { SamplingContentSchema } from './requests.js';

/** Validates a result's `_meta`; a modern server may name itself in it. */
export const ResultMetaSchema = z.looseObject({
  [META.serverInfo]: ImplementationSchema.optional(),
});
/** A result's `_meta`. */
export type ResultMeta = z.infer<typeof ResultMetaSchema>;

/**
 * Validates the members every result may carry. `resultType` is sent by modern
 * servers (`'complete'`, `'input_required'`, or a future value); legacy results
 * omit it, and a client reads an absent `resultType` as `'complete'`.
 */
export const ResultSchema = z.looseObject({
  _meta: ResultMetaSchema.optional(),
  resultType: z.string().optional(),
});
/** Members common to every result. */
export type Result = z.infer<typeof ResultSchema>;

/** Validates a result that carries nothing (ping, subscribe, setLevel, …). */
export const EmptyResultSchema = ResultSchema;
/** A result with no data. */
export type EmptyResult = z.infer<typeof EmptyResultSchema>;

/** Validates the cache hints of modern results: lifetime in ms and who may share the copy. */
export const CacheableResultSchema = ResultSchema.extend({
  ttlMs: z.number().optional(),
  cacheScope: z.enum(['public', 'private']).optional(),
});
/** A result with cache hints. */
export type CacheableResult = z.infer<typeof CacheableResultSchema>;

const PaginatedResultSchema = CacheableResultSchema.extend({ nextCursor: z.string().optional() });

/** Validates the `initialize` result (legacy): the negotiated version and the server's side. */
export const InitializeResultSchema = ResultSchema.extend({
  protocolVersion: z.string(),
  capabilities: ServerCapabilitiesSchema,
  serverInfo: ImplementationSchema,
  instructions: z.string().optional(),
});
/** `initialize` result. */
export type InitializeResult = z.infer<typeof InitializeResultSchema>;

/** Validates the `server/discover` result (modern): versions, capabilities and cache hints. */
export const DiscoverResultSchema = CacheableResultSchema.extend({
  supportedVersions: z.array(z.string()),
  capabilities: ServerCapabilitiesSchema,
  instructions: z.string().optional(),
});
/** `server/discover` result. */
export type DiscoverResult = z.infer<typeof DiscoverResultSchema>;

/**
 * Validates the `subscriptions/listen` result (modern), sent when the stream
 * ends: empty but for `_meta`, which names the subscription.
 */
export const SubscriptionsListenResultSchema = ResultSchema.extend({
  _meta: ResultMetaSchema.extend({ [META.subscriptionId]: RequestIdSchema.optional() }).optional(),
});
/** `subscriptions/listen` result. */
export type SubscriptionsListenResult = z.infer<typeof SubscriptionsListenResultSchema>;

/** Validates the `tools/list` result. */
export const ListToolsResultSchema = PaginatedResultSchema.extend({ tools: z.array(ToolSchema) });
/** `tools/list` result. */
export type ListToolsResult = z.infer<typeof ListToolsResultSchema>;

/**
 * Validates the `tools/call` result. A missing `content` reads as `[]` (some
 * servers send only `structuredContent`); `structuredContent` is any JSON value
 * (2026-07-28 allows arrays). A tool's own failure is `isError: true`, not a
 * JSON-RPC error.
 */
export const CallToolResultSchema = ResultSchema.extend({
  content: z.array(ContentBlockSchema).default(() => []),
  structuredContent: z.unknown().optional(),
  isError: z.boolean().optional(),
});
/** `tools/call` result. */
export type CallToolResult = z.infer<typeof CallToolResultSchema>;

/** Validates the `resources/list` result. */
export const ListResourcesResultSchema = PaginatedResultSchema.extend({ resources: z.array(ResourceSchema) });
/** `resources/list` result. */
export type ListResourcesResult = z.infer<typeof ListResourcesResultSchema>;

/** Validates the `resources/templates/list` result. */
export const ListResourceTemplatesResultSchema = PaginatedResultSchema.extend({
  resourceTemplates: z.array(ResourceTemplateSchema),
});
/** `resources/templates/list` result. */
export type ListResourceTemplatesResult = z.infer<typeof ListResourceTemplatesResultSchema>;

/** Validates the `resources/read` result. */
export const ReadResourceResultSchema = CacheableResultSchema.extend({ contents: z.array(ResourceContentsSchema) });
/** `resources/read` result. */
export type ReadResourceResult = z.infer<typeof ReadResourceResultSchema>;

/** Validates the `prompts/list` result. */
export const ListPromptsResultSchema = PaginatedResultSchema.extend({ prompts: z.array(PromptSchema) });
/** `prompts/list` result. */
export type ListPromptsResult = z.infer<typeof ListPromptsResultSchema>;

/** Validates the `prompts/get` result. */
export const GetPromptResultSchema = ResultSchema.extend({
  description: z.string().optional(),
  messages: z.array(PromptMessageSchema),
});
/** `prompts/get` result. */
export type GetPromptResult = z.infer<typeof GetPromptResultSchema>;

/** Validates the `roots/list` result (client → server). */
export const ListRootsResultSchema = ResultSchema.extend({ roots: z.array(RootSchema) });
/** `roots/list` result. */
export type ListRootsResult = z.infer<typeof ListRootsResultSchema>;

/** Validates the `sampling/createMessage` result (client → server): the model's message. */
export const CreateMessageResultSchema = ResultSchema.extend({
  role: RoleSchema,
  content: z.union([SamplingContentSchema, z.array(SamplingContentSchema)]),
  model: z.string(),
  stopReason: z.string().optional(),
});
/** `sampling/createMessage` result. */
export type CreateMessageResult = z.infer<typeof CreateMessageResultSchema>;

/** Validates the `elicitation/create` result (client → server): the user's choice and form values. */
export const ElicitResultSchema = ResultSchema.extend({
  action: z.enum(['accept', 'decline', 'cancel']),
  content: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])).optional(),
});
/** `elicitation/create` result. */
export type ElicitResult = z.infer<typeof ElicitResultSchema>;

/** Validates the `completion/complete` result. */
export const CompleteResultSchema = ResultSchema.extend({
  completion: z.looseObject({
    values: z.array(z.string()),
    total: z.number().optional(),
    hasMore: z.boolean().optional(),
  }),
});
/** `completion/complete` result. */
export type CompleteResult = z.infer<typeof CompleteResultSchema>;

/** The result schema of every request in `requestSchemas`, keyed by method. */
export const resultSchemas = {
  initialize: InitializeResultSchema,
  ping: EmptyResultSchema,
  'server/discover': DiscoverResultSchema,
  'subscriptions/listen': SubscriptionsListenResultSchema,
  'tools/list': ListToolsResultSchema,
  'tools/call': CallToolResultSchema,
  'resources/list': ListResourcesResultSchema,
  'resources/templates/list': ListResourceTemplatesResultSchema,
  'resources/read': ReadResourceResultSchema,
  'resources/subscribe': EmptyResultSchema,
  'resources/unsubscribe': EmptyResultSchema,
  'prompts/list': ListPromptsResultSchema,
  'prompts/get': GetPromptResultSchema,
  'logging/setLevel': EmptyResultSchema,
  'roots/list': ListRootsResultSchema,
  'sampling/createMessage': CreateMessageResultSchema,
  'elicitation/create': ElicitResultSchema,
  'completion/complete': CompleteResultSchema,
} as const satisfies Record<RequestMethod, z.ZodType>;

/** Result of request `M` after validation. */
export type ResultOf<M extends RequestMethod> = z.output<(typeof resultSchemas)[M]>;
