export { createSseClientTransport } from './createSseClientTransport.js';
export type { SseClientTransport, SseClientTransportOptions } from './createSseClientTransport.js';
