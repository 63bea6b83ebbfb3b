export { createWebSocketClientTransport } from './createWebSocketClientTransport.js';
export type { WebSocketClientTransportOptions } from './createWebSocketClientTransport.js';
