import * as z from 'zod';
import { META } from '../constants.js';
import { RequestIdSchema } from './jsonrpc.js';

// Shared shapes of MCP messages, valid in both eras (2025-11-25 and 2026-07-28
// schemas). Every object is loose: members a newer peer adds pass through.

/** Validates a progress token: a string or an integer, chosen by the requester. */
export const ProgressTokenSchema = z.union([z.string(), z.number().int()]);
/** Correlates `notifications/progress` with the request it reports on. */
export type ProgressToken = z.infer<typeof ProgressTokenSchema>;

/** Validates a `_meta` object: any string-keyed record. */
export const MetaSchema = z.record(z.string(), z.unknown());
/** A `_meta` object. */
export type Meta = z.infer<typeof MetaSchema>;

/** Validates the `_meta` of a notification; a listen stream tags it with the subscription id. */
export const NotificationMetaSchema = z.looseObject({
  [META.subscriptionId]: RequestIdSchema.optional(),
});
/** The `_meta` of a notification. */
export type NotificationMeta = z.infer<typeof NotificationMetaSchema>;

/** Log levels in RFC 5424 order, least to most severe. */
export const LOGGING_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;
/** Validates a log level. */
export const LoggingLevelSchema = z.enum(LOGGING_LEVELS);
/** A log level; compare severities by index in {@link LOGGING_LEVELS}. */
export type LoggingLevel = z.infer<typeof LoggingLevelSchema>;

/** Validates an icon a UI may show for an implementation, tool, resource or prompt. */
export const IconSchema = z.looseObject({
  src: z.string(),
  mimeType: z.string().optional(),
  sizes: z.array(z.string()).optional(),
  theme: z.enum(['light', 'dark']).optional(),
});
/** An icon. */
export type Icon = z.infer<typeof IconSchema>;

/** Validates the name and version a client or server reports about itself. */
export const ImplementationSchema = z.looseObject({
  name: z.string(),
  version: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  websiteUrl: z.string().optional(),
  icons: z.array(IconSchema).optional(),
});
/** `clientInfo` / `serverInfo`. */
export type Implementation = z.infer<typeof ImplementationSchema>;

// A capability whose presence is the whole statement ({}), or that holds sub-flags.
const Flag = z.looseObject({});
const FlagMap = z.record(z.string(), Flag);
const ListChanged = z.looseObject({ listChanged: z.boolean().optional() });

/** Validates client capabilities, with the known members of both eras. */
export const ClientCapabilitiesSchema = z.looseObject({
  experimental: FlagMap.optional(),
  extensions: FlagMap.optional(),
  roots: ListChanged.optional(),
  sampling: z.looseObject({ context: Flag.optional(), tools: Flag.optional() }).optional(),
  elicitation: z.looseObject({ form: Flag.optional(), url: Flag.optional() }).optional(),
  tasks: Flag.optional(),
});
/** What a client supports. */
export type ClientCapabilities = z.infer<typeof ClientCapabilitiesSchema>;

/** Validates server capabilities, with the known members of both eras. */
export const ServerCapabilitiesSchema = z.looseObject({
  experimental: FlagMap.optional(),
  extensions: FlagMap.optional(),
  logging: Flag.optional(),
  completions: Flag.optional(),
  prompts: ListChanged.optional(),
  resources: z.looseObject({ subscribe: z.boolean().optional(), listChanged: z.boolean().optional() }).optional(),
  tools: ListChanged.optional(),
  tasks: Flag.optional(),
});
/** What a server supports. */
export type ServerCapabilities = z.infer<typeof ServerCapabilitiesSchema>;

/** Validates a root a client exposes to a server (a `file://` URI today). */
export const RootSchema = z.looseObject({
  uri: z.string(),
  name: z.string().optional(),
  _meta: MetaSchema.optional(),
});
/** A root. */
export type Root = z.infer<typeof RootSchema>;

/** Validates the notification filter of a modern `subscriptions/listen` request and its acknowledgement. */
export const SubscriptionFilterSchema = z.looseObject({
  toolsListChanged: z.boolean().optional(),
  promptsListChanged: z.boolean().optional(),
  resourcesListChanged: z.boolean().optional(),
  resourceSubscriptions: z.array(z.string()).optional(),
});
/** Which change notifications a listen subscription asks for (or was granted). */
export type SubscriptionFilter = z.infer<typeof SubscriptionFilterSchema>;

/** Task states of 2025-11-25. */
export const TASK_STATUSES = ['working', 'input_required', 'completed', 'failed', 'cancelled'] as const;
/** Validates a task state. */
export const TaskStatusSchema = z.enum(TASK_STATUSES);
/** A task state. */
export type TaskStatus = z.infer<typeof TaskStatusSchema>;

/** Validates a task (2025-11-25 only): the fields of `notifications/tasks/status` and `tasks/get`. */
export const TaskSchema = z.looseObject({
  taskId: z.string(),
  status: TaskStatusSchema,
  statusMessage: z.string().optional(),
  createdAt: z.string(),
  lastUpdatedAt: z.string(),
  ttl: z.number().nullable(),
  pollInterval: z.number().optional(),
});
/** A task. */
export type Task = z.infer<typeof TaskSchema>;

/** Validates a conversation role. */
export const RoleSchema = z.enum(['user', 'assistant']);
/** Who a message comes from. */
export type Role = z.infer<typeof RoleSchema>;

/** Validates display hints attached to content, resources and templates. */
export const AnnotationsSchema = z.looseObject({
  audience: z.array(RoleSchema).optional(),
  priority: z.number().min(0).max(1).optional(),
  lastModified: z.string().optional(),
});
/** Display hints. */
export type Annotations = z.infer<typeof AnnotationsSchema>;

const contentBase = { annotations: AnnotationsSchema.optional(), _meta: MetaSchema.optional() };

/** Validates a text content block. */
export const TextContentSchema = z.looseObject({ type: z.literal('text'), text: z.string(), ...contentBase });
/** Text content. */
export type TextContent = z.infer<typeof TextContentSchema>;

/** Validates an image content block (base64 `data`). */
export const ImageContentSchema = z.looseObject({
  type: z.literal('image'),
  data: z.string(),
  mimeType: z.string(),
  ...contentBase,
});
/** Image content. */
export type ImageContent = z.infer<typeof ImageContentSchema>;

/** Validates an audio content block (base64 `data`). */
export const AudioContentSchema = z.looseObject({
  type: z.literal('audio'),
  data: z.string(),
  mimeType: z.string(),
  ...contentBase,
});
/** Audio content. */
export type AudioContent = z.infer<typeof AudioContentSchema>;

/** Validates a resource a server can read, as listed by `resources/list`. */
export const ResourceSchema = z.looseObject({
  uri: z.string(),
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  mimeType: z.string().optional(),
  size: z.number().optional(),
  icons: z.array(IconSchema).optional(),
  ...contentBase,
});
/** A resource. */
export type Resource = z.infer<typeof ResourceSchema>;

/** Validates a link to a resource inside content. */
export const ResourceLinkSchema = ResourceSchema.extend({ type: z.literal('resource_link') });
/** A resource link. */
export type ResourceLink = z.infer<typeof ResourceLinkSchema>;

/** Validates the text contents of a resource. */
export const TextResourceContentsSchema = z.looseObject({
  uri: z.string(),
  mimeType: z.string().optional(),
  text: z.string(),
  _meta: MetaSchema.optional(),
});
/** Text resource contents. */
export type TextResourceContents = z.infer<typeof TextResourceContentsSchema>;

/** Validates the binary contents of a resource (base64 `blob`). */
export const BlobResourceContentsSchema = z.looseObject({
  uri: z.string(),
  mimeType: z.string().optional(),
  blob: z.string(),
  _meta: MetaSchema.optional(),
});
/** Binary resource contents. */
export type BlobResourceContents = z.infer<typeof BlobResourceContentsSchema>;

/** Validates resource contents: text or blob. */
export const ResourceContentsSchema = z.union([TextResourceContentsSchema, BlobResourceContentsSchema]);
/** Resource contents. */
export type ResourceContents = z.infer<typeof ResourceContentsSchema>;

/** Validates a resource embedded in content. */
export const EmbeddedResourceSchema = z.looseObject({
  type: z.literal('resource'),
  resource: ResourceContentsSchema,
  ...contentBase,
});
/** An embedded resource. */
export type EmbeddedResource = z.infer<typeof EmbeddedResourceSchema>;

/** Validates any content block of a tool result or prompt message. */
export const ContentBlockSchema = z.discriminatedUnion('type', [
  TextContentSchema,
  ImageContentSchema,
  AudioContentSchema,
  ResourceLinkSchema,
  EmbeddedResourceSchema,
]);
/** A content block. */
export type ContentBlock = z.infer<typeof ContentBlockSchema>;

/** Validates behaviour hints of a tool (hints only, never trusted). */
export const ToolAnnotationsSchema = z.looseObject({
  title: z.string().optional(),
  readOnlyHint: z.boolean().optional(),
  destructiveHint: z.boolean().optional(),
  idempotentHint: z.boolean().optional(),
  openWorldHint: z.boolean().optional(),
});
/** Tool hints. */
export type ToolAnnotations = z.infer<typeof ToolAnnotationsSchema>;

/** Validates a tool definition, as listed by `tools/list`. */
export const ToolSchema = z.looseObject({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: z.looseObject({ type: z.literal('object'), $schema: z.string().optional() }),
  // 2026-07-28 allows any JSON Schema here (arrays included); 2025-11-25 only objects.
  outputSchema: z.looseObject({ $schema: z.string().optional() }).optional(),
  annotations: ToolAnnotationsSchema.optional(),
  execution: z.looseObject({ taskSupport: z.enum(['forbidden', 'optional', 'required']).optional() }).optional(),
  icons: z.array(IconSchema).optional(),
  _meta: MetaSchema.optional(),
});
/** A tool. */
export type Tool = z.infer<typeof ToolSchema>;

/** Validates a resource template (RFC 6570 `uriTemplate`). */
export const ResourceTemplateSchema = z.looseObject({
  uriTemplate: z.string(),
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  mimeType: z.string().optional(),
  icons: z.array(IconSchema).optional(),
  ...contentBase,
});
/** A resource template. */
export type ResourceTemplate = z.infer<typeof ResourceTemplateSchema>;

/** Validates an argument a prompt accepts. */
export const PromptArgumentSchema = z.looseObject({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  required: z.boolean().optional(),
});
/** A prompt argument. */
export type PromptArgument = z.infer<typeof PromptArgumentSchema>;

/** Validates a prompt, as listed by `prompts/list`. */
export const PromptSchema = z.looseObject({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  arguments: z.array(PromptArgumentSchema).optional(),
  icons: z.array(IconSchema).optional(),
  _meta: MetaSchema.optional(),
});
/** A prompt. */
export type Prompt = z.infer<typeof PromptSchema>;

/** Validates one message of a `prompts/get` result. */
export const PromptMessageSchema = z.looseObject({ role: RoleSchema, content: ContentBlockSchema });
/** A prompt message. */
export type PromptMessage = z.infer<typeof PromptMessageSchema>;
