/** The WebSocket subprotocol of MCP (the de-facto convention; PROTOCOL.md §websocket). Both clients offer it, the server requires it. */
export const MCP_SUBPROTOCOL = 'mcp';
