export { createWebSocketClientTransport, DEFAULT_HANDSHAKE_TIMEOUT_MS } from './createWebSocketClientTransport.js';
export type { WebSocketClientTransportOptions } from './createWebSocketClientTransport.js';
export type { PlatformCloseEvent, PlatformWebSocket, PlatformWebSocketConstructor } from './platformWebSocket.js';
export { WEBSOCKET_CLOSE_CODES } from './closeCodes.js';
export { WebSocketClosedError } from './webSocketClosedError.js';
export { MCP_SUBPROTOCOL } from './mcpSubprotocol.js';
