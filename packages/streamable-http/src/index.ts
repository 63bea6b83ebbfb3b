export { createStreamableHttpFetchHandler, createStreamableHttpHandler } from './createStreamableHttpHandler.js';
export type { StreamableHttpFetchHandler, StreamableHttpHandler } from './createStreamableHttpHandler.js';
export type { StreamableHttpHandlerOptions } from '@tidings/http';
export { createStreamableHttpServer } from './createStreamableHttpServer.js';
export type { StreamableHttpServer, StreamableHttpServerOptions } from './createStreamableHttpServer.js';
export { createInMemoryEventStore } from '@tidings/http';
export type { EventStore, InMemoryEventStoreOptions, StoredEvent } from '@tidings/http';
export { createStreamableHttpClientTransport } from './client/createStreamableHttpClientTransport.js';
export type {
  StreamableHttpClientTransport,
  StreamableHttpClientTransportOptions,
} from './client/createStreamableHttpClientTransport.js';
export type { ReconnectOptions } from './client/reconnectPolicy.js';
