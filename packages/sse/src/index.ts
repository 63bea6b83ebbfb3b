export { createSseFetchHandler, createSseHandler } from './createSseHandler.js';
export type { SseFetchHandler, SseHandler } from './createSseHandler.js';
export type { SseHandlerOptions } from '@tidings/http';
export { createSseServer } from './createSseServer.js';
export type { SseServer, SseServerOptions } from './createSseServer.js';
export { createSseClientTransport } from './client.js';
export type { SseClientTransport, SseClientTransportOptions } from './client.js';
