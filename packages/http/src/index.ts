// server
export { createStreamableHttpCore } from './server/streamableHttpCore.js';
export type { StreamableHttpCore } from './server/streamableHttpCore.js';
export type { StreamableHttpControls, StreamableHttpHandlerOptions } from './server/streamableHttpOptions.js';
export { createInMemoryEventStore } from './server/eventStore.js';
export type { EventStore, InMemoryEventStoreOptions, SharedEventStore, StoredEvent, StreamTail } from './server/eventStore.js';
export { createInMemorySessionStore } from './server/sessionStore.js';
export type { InMemorySessionStoreOptions, OpenedSession, SessionStore } from './server/sessionStore.js';
export { DEFAULT_SSE_LIMITS, SlowConsumerError } from './server/sseHub.js';
export type { SseLimits } from './server/sseHub.js';
export type { HttpCore, HttpRequest, HttpResponse, RequestBody, SseBody, SseReader } from './server/types.js';
export { createSseCore } from './server/sseCore.js';
export type { SseHandlerOptions } from './server/sseCore.js';
export { toNodeHandler } from './bindings/node.js';
export type { NodeHandler, NodeRequest, NodeResponse } from './bindings/node.js';
export { toFetchHandler } from './bindings/fetch.js';
export type { FetchHandlerOptions } from './bindings/fetch.js';
// client (also its own entry, `@tidings/http/client`, which loads no server module)
export * from './client.js';
