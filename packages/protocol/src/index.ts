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
export type { SharedSessionLink, SharedSessionStart, SharedSessionState, SharedSessionSync } from './session/sharedSession.js';

export { createServer } from './server/createServer.js';
export type { ClusterSeat, ConnectedClient, Server } from './server/serverApi.js';
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
export type { TaskCallOptions, TaskObserveOptions, TaskStatusUpdate, ToolTask } from './client/taskTypes.js';
export type {
  ClientOptions,
  ElicitationHandler,
  EraCache,
  EraPreference,
  ReceivedNotification,
  SamplingHandler,
} from './client/types.js';

// The wire schemas and their types (JSON-RPC, primitives, notifications, requests, results).
export * from './schemas.js';

export { EventsMissed } from './http/eventsMissed.js';
export { isSpecNotification, NOTIFICATION_METHODS, shortNotificationName } from './notificationMethods.js';
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
export type { MemoryTaskStoreOptions, TaskOwnerStore, TaskStore } from './tasks/taskStore.js';
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
export { compareEntries, createMemoryClusterBus } from './cluster/clusterBus.js';
export type { ClusterBus, ClusterLog, ClusterLogPage, MemoryClusterBusOptions } from './cluster/clusterBus.js';
export type { ClusterOptions } from './cluster/clusterOptions.js';
