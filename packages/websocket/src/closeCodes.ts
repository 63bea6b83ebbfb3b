/**
 * The WebSocket close codes (RFC 6455 §7.4.1, IANA registry) that
 * `@tidings/websocket` sends or that `ws` sends on its behalf. Peers can
 * branch on them: 1013 means "come back later", 1009 "send less", 1003
 * "send text", 1001 "the server is going away".
 */
export const WEBSOCKET_CLOSE_CODES = {
  /** A side closed on purpose (`transport.close()`, `client.close()`). */
  NormalClosure: 1000,
  /** The server is shutting down (`WebSocketServer.close()`). */
  GoingAway: 1001,
  /** The peer broke the WebSocket framing rules (sent by `ws`). */
  ProtocolError: 1002,
  /** The peer sent a binary frame: MCP messages travel as text frames only. */
  UnsupportedData: 1003,
  /** Not sent on the wire: the connection dropped without a close frame (a dead peer terminated by the heartbeat, a reset). */
  AbnormalClosure: 1006,
  /** A text frame that is not valid UTF-8 (sent by `ws`). */
  InvalidPayload: 1007,
  /** Too many messages arrived before the transport was started. */
  PolicyViolation: 1008,
  /** A frame larger than `maxPayload` (sent by `ws`). */
  MessageTooBig: 1009,
  /** The peer read too slowly: more than `maxBufferedBytes` waited to be written to it. */
  TryAgainLater: 1013,
} as const;
