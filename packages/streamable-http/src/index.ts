export { createStreamableHttpHandler } from './createStreamableHttpHandler.js';
export type { StreamableHttpHandler, StreamableHttpHandlerOptions } from './handlerOptions.js';
export { createStreamableHttpServer } from './createStreamableHttpServer.js';
export type { StreamableHttpServer, StreamableHttpServerOptions } from './createStreamableHttpServer.js';
export { createInMemoryEventStore } from './eventStore.js';
export type { EventStore, InMemoryEventStoreOptions, StoredEvent } from './eventStore.js';
export { createStreamableHttpClientTransport } from './client/createStreamableHttpClientTransport.js';
export type {
  StreamableHttpClientTransport,
  StreamableHttpClientTransportOptions,
} from './client/createStreamableHttpClientTransport.js';
export type { ReconnectOptions } from './client/reconnectPolicy.js';
