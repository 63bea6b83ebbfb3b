export { createSseHandler } from './createSseHandler.js';
export type { SseHandler, SseHandlerOptions } from './createSseHandler.js';
export { createSseServer } from './createSseServer.js';
export type { SseServer, SseServerOptions } from './createSseServer.js';
export { createSseClientTransport } from './createSseClientTransport.js';
export type { SseClientTransport, SseClientTransportOptions } from './createSseClientTransport.js';
export { readBody } from './readBody.js';
export type { BodyResult } from './readBody.js';
