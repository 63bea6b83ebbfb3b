export { ERROR_CODES, HTTP_STATUS_BY_CODE, ProtocolError, TransportError, toProtocolError } from './errors.js';
export type { ProtocolErrorCode, ProtocolErrorOptions, ToProtocolErrorOptions } from './errors.js';
export { parseParams } from './validate.js';
export {
  LATEST_LEGACY_VERSION,
  LATEST_MODERN_VERSION,
  LEGACY_PROTOCOL_VERSIONS,
  META,
  MODERN_PROTOCOL_VERSIONS,
} from './constants.js';
export type { Era } from './constants.js';
export { systemClock } from './clock.js';
export type { Clock, TimerHandle } from './clock.js';
export { defaultDiagnosticHandler } from './diagnostics.js';
export type { Diagnostic, DiagnosticHandler } from './diagnostics.js';
export type { SendOptions, Transport, TransportSink } from './transport.js';
export { createMemoryTransportPair } from './memoryTransport.js';
export type { MemoryTransportPairOptions } from './memoryTransport.js';
export { nextTurn } from './nextTurn.js';
export { defineNotification } from './defineNotification.js';
export type { NotificationDescriptor, NotificationTarget, ParamsInput, ParamsOutput } from './defineNotification.js';

export { createEngine } from './engine/createEngine.js';
export type { Engine, EngineHandler, EngineOptions } from './engine/createEngine.js';
export type { AbortListener, InboundRequestContext } from './engine/inboundRequest.js';
export type { Progress } from './engine/progressTracker.js';
export { DEFAULT_MAX_TOTAL_TIMEOUT, DEFAULT_REQUEST_TIMEOUT } from './engine/requestOptions.js';
export type { RequestOptions } from './engine/requestOptions.js';

export { classifyRequest, hasModernEnvelope, LEGACY_ONLY_METHODS, MODERN_ONLY_METHODS } from './era/classifyRequest.js';
export type { RequestEra } from './era/classifyRequest.js';
export { decorateModernResult, readModernEnvelope } from './era/modernEnvelope.js';
export type { ModernEnvelope } from './era/modernEnvelope.js';
export { isLegacyVersion, isModernVersion, negotiateLegacyVersion, SUPPORTED_PROTOCOL_VERSIONS } from './era/versions.js';

export type { LegacySessionState, LegacyHandshake } from './session/legacySession.js';
export type { ListenSubscriptionState } from './session/listenSubscription.js';

export { createServer } from './server/createServer.js';
export type { ConnectedClient, Server } from './server/createServer.js';
export { CUSTOM_NOTIFICATIONS_FILTER_KEY } from './server/recipients.js';
export type {
  BroadcastOptions,
  ConnectOptions,
  ElicitOptions,
  InputOptions,
  PeerInfo,
  PromptDefinition,
  PromptHandler,
  Registration,
  RequestContext,
  ResourceDefinition,
  ResourceOutput,
  ResourceReader,
  ResourceTemplateDefinition,
  SampleOptions,
  ServerOptions,
  SessionInfo,
  ToolDefinition,
  ToolHandler,
  ToolOutput,
} from './server/types.js';

export { createClient } from './client/createClient.js';
export type { Client } from './client/createClient.js';
export type {
  ClientOptions,
  ElicitationHandler,
  EraCache,
  EraPreference,
  ReceivedNotification,
  SamplingHandler,
} from './client/types.js';

export {
  JSONRPC_VERSION,
  RequestIdSchema,
  JSONRPCRequestSchema,
  JSONRPCNotificationSchema,
  JSONRPCResultResponseSchema,
  JSONRPCErrorSchema,
  JSONRPCErrorResponseSchema,
  JSONRPCResponseSchema,
  JSONRPCMessageSchema,
  isJSONRPCRequest,
  isJSONRPCNotification,
  isJSONRPCResultResponse,
  isJSONRPCErrorResponse,
  parseMessage,
} from './schemas/jsonrpc.js';
export { MAX_MESSAGE_DEPTH } from './schemas/messageDepth.js';
export type {
  RequestId,
  JSONRPCRequest,
  JSONRPCNotification,
  JSONRPCResultResponse,
  JSONRPCError,
  JSONRPCErrorResponse,
  JSONRPCResponse,
  JSONRPCMessage,
  InvalidMessageData,
} from './schemas/jsonrpc.js';
export {
  ProgressTokenSchema,
  MetaSchema,
  NotificationMetaSchema,
  LOGGING_LEVELS,
  LoggingLevelSchema,
  IconSchema,
  ImplementationSchema,
  ClientCapabilitiesSchema,
  ServerCapabilitiesSchema,
  RootSchema,
  SubscriptionFilterSchema,
  TASK_STATUSES,
  TaskStatusSchema,
  TaskSchema,
  RoleSchema,
  AnnotationsSchema,
  TextContentSchema,
  ImageContentSchema,
  AudioContentSchema,
  ResourceSchema,
  ResourceLinkSchema,
  TextResourceContentsSchema,
  BlobResourceContentsSchema,
  ResourceContentsSchema,
  EmbeddedResourceSchema,
  ContentBlockSchema,
  ToolAnnotationsSchema,
  ToolSchema,
  ResourceTemplateSchema,
  PromptArgumentSchema,
  PromptSchema,
  PromptMessageSchema,
} from './schemas/primitives.js';
export type {
  ProgressToken,
  Meta,
  NotificationMeta,
  LoggingLevel,
  Icon,
  Implementation,
  ClientCapabilities,
  ServerCapabilities,
  Root,
  SubscriptionFilter,
  TaskStatus,
  Task,
  Role,
  Annotations,
  TextContent,
  ImageContent,
  AudioContent,
  Resource,
  ResourceLink,
  TextResourceContents,
  BlobResourceContents,
  ResourceContents,
  EmbeddedResource,
  ContentBlock,
  ToolAnnotations,
  Tool,
  ResourceTemplate,
  PromptArgument,
  Prompt,
  PromptMessage,
} from './schemas/primitives.js';
export {
  NotificationParamsSchema,
  InitializedNotificationParamsSchema,
  InitializedNotificationSchema,
  CancelledNotificationParamsSchema,
  CancelledNotificationSchema,
  ProgressNotificationParamsSchema,
  ProgressNotificationSchema,
  LoggingMessageNotificationParamsSchema,
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationParamsSchema,
  ResourceUpdatedNotificationSchema,
  ResourceListChangedNotificationParamsSchema,
  ResourceListChangedNotificationSchema,
  ToolListChangedNotificationParamsSchema,
  ToolListChangedNotificationSchema,
  PromptListChangedNotificationParamsSchema,
  PromptListChangedNotificationSchema,
  RootsListChangedNotificationParamsSchema,
  RootsListChangedNotificationSchema,
  ElicitationCompleteNotificationParamsSchema,
  ElicitationCompleteNotificationSchema,
  TaskStatusNotificationParamsSchema,
  TaskStatusNotificationSchema,
  SubscriptionsAcknowledgedNotificationParamsSchema,
  SubscriptionsAcknowledgedNotificationSchema,
  notificationSchemas,
  isNotificationMethod,
  NOTIFICATION_ERAS,
  NOTIFICATION_REVISIONS,
  NOTIFICATION_DIRECTION,
} from './schemas/notifications.js';
export type {
  NotificationParams,
  InitializedNotification,
  CancelledNotification,
  ProgressNotification,
  LoggingMessageNotification,
  ResourceUpdatedNotification,
  ResourceListChangedNotification,
  ToolListChangedNotification,
  PromptListChangedNotification,
  RootsListChangedNotification,
  ElicitationCompleteNotification,
  TaskStatusNotification,
  SubscriptionsAcknowledgedNotification,
  NotificationMethod,
  NotificationParamsOf,
  NotificationParamsInputOf,
  NotificationDirection,
} from './schemas/notifications.js';
export {
  RequestMetaSchema,
  RequestParamsSchema,
  InitializeRequestParamsSchema,
  PingRequestParamsSchema,
  DiscoverRequestParamsSchema,
  SubscriptionsListenRequestParamsSchema,
  PaginatedRequestParamsSchema,
  ListToolsRequestParamsSchema,
  ListResourcesRequestParamsSchema,
  ListResourceTemplatesRequestParamsSchema,
  ListPromptsRequestParamsSchema,
  CallToolRequestParamsSchema,
  ResourceRequestParamsSchema,
  ReadResourceRequestParamsSchema,
  SubscribeRequestParamsSchema,
  UnsubscribeRequestParamsSchema,
  GetPromptRequestParamsSchema,
  SetLevelRequestParamsSchema,
  ListRootsRequestParamsSchema,
  ToolUseContentSchema,
  ToolResultContentSchema,
  SamplingContentSchema,
  SamplingMessageSchema,
  CreateMessageRequestParamsSchema,
  ElicitFormRequestParamsSchema,
  ElicitURLRequestParamsSchema,
  ElicitRequestParamsSchema,
  CompletionReferenceSchema,
  CompleteRequestParamsSchema,
  requestSchemas,
  isRequestMethod,
  REQUEST_ERAS,
} from './schemas/requests.js';
export type {
  RequestMeta,
  RequestParams,
  InitializeRequestParams,
  PingRequestParams,
  DiscoverRequestParams,
  SubscriptionsListenRequestParams,
  PaginatedRequestParams,
  ListToolsRequestParams,
  ListResourcesRequestParams,
  ListResourceTemplatesRequestParams,
  ListPromptsRequestParams,
  CallToolRequestParams,
  ResourceRequestParams,
  ReadResourceRequestParams,
  SubscribeRequestParams,
  UnsubscribeRequestParams,
  GetPromptRequestParams,
  SetLevelRequestParams,
  ListRootsRequestParams,
  ToolUseContent,
  ToolResultContent,
  SamplingContent,
  SamplingMessage,
  CreateMessageRequestParams,
  ElicitFormRequestParams,
  ElicitURLRequestParams,
  ElicitRequestParams,
  CompletionReference,
  CompleteRequestParams,
  RequestMethod,
  RequestParamsOf,
} from './schemas/requests.js';
export {
  ResultMetaSchema,
  ResultSchema,
  EmptyResultSchema,
  CacheableResultSchema,
  InitializeResultSchema,
  DiscoverResultSchema,
  SubscriptionsListenResultSchema,
  ListToolsResultSchema,
  CallToolResultSchema,
  ListResourcesResultSchema,
  ListResourceTemplatesResultSchema,
  ReadResourceResultSchema,
  ListPromptsResultSchema,
  GetPromptResultSchema,
  ListRootsResultSchema,
  CreateMessageResultSchema,
  ElicitResultSchema,
  CompleteResultSchema,
  resultSchemas,
} from './schemas/results.js';
export type {
  ResultMeta,
  Result,
  EmptyResult,
  CacheableResult,
  InitializeResult,
  DiscoverResult,
  SubscriptionsListenResult,
  ListToolsResult,
  CallToolResult,
  ListResourcesResult,
  ListResourceTemplatesResult,
  ReadResourceResult,
  ListPromptsResult,
  GetPromptResult,
  ListRootsResult,
  CreateMessageResult,
  ElicitResult,
  CompleteResult,
  ResultOf,
} from './schemas/results.js';

export { EventsMissed } from './http/eventsMissed.js';
export type { OutboundMessage } from './transport.js';
export {
  TASKS_EXTENSION,
  cancelTask,
  completeTask,
  createTask,
  createTaskResultOf,
  describeTask,
  failTask,
  isTerminal,
  requireInput,
  resumeTask,
} from './tasks/taskState.js';
export type { CreateTaskResult, DetailedTask, NewTask, TaskError, TaskInputRequests, TaskState } from './tasks/taskState.js';
export { createMemoryTaskStore } from './tasks/taskStore.js';
export type { MemoryTaskStoreOptions, TaskStore } from './tasks/taskStore.js';
export type { TaskOptions } from './tasks/taskRuntime.js';
export type { RunAsTaskOptions, TaskContext, TaskInputOptions } from './tasks/taskContext.js';
export type { ToolWork } from './server/runAsTask.js';
export type { TaskSupport } from './server/taskMethods.js';
export {
  CreateTaskResultSchema,
  DetailedTaskSchema,
  TaskIdRequestParamsSchema,
  TaskNotificationParamsSchema,
  UpdateTaskRequestParamsSchema,
} from './schemas/tasks.js';
export type { TaskIdRequestParams, UpdateTaskRequestParams } from './schemas/tasks.js';
