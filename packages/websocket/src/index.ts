export { createWebSocketServer } from './createWebSocketServer.js';
export { DEFAULT_CLOSE_TIMEOUT_MS, DEFAULT_HEARTBEAT_MS, DEFAULT_MAX_BUFFERED_BYTES, DEFAULT_MAX_PAYLOAD } from './defaults.js';
export type { WebSocketConnection, WebSocketServer, WebSocketServerOptions } from './createWebSocketServer.js';
export { createWebSocketClientTransport } from './createWebSocketClientTransport.js';
export type { WebSocketClientTransportOptions } from './createWebSocketClientTransport.js';
export { WEBSOCKET_CLOSE_CODES } from './closeCodes.js';
export { WebSocketClosedError } from './webSocketClosedError.js';
export { MCP_SUBPROTOCOL } from './upgradeRefusal.js';
