export { createSseClientTransport } from './client/createSseClientTransport.js';
export type { SseClientTransport, SseClientTransportOptions } from './client/createSseClientTransport.js';
export { readSseStream } from './client/readSseStream.js';
export type { SseEnd, SseHandlers } from './client/readSseStream.js';
export { responseDetail } from './client/responseDetail.js';
