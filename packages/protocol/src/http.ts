// What transport adapters use and applications do not: HTTP routing and headers, SSE framing,
// error replies, the client's request rewriting. `@tidings/protocol/http`, out of the main entry.
export {
  cancelledRequestId,
  legacyHandshakeStep,
  negotiatedVersionOf,
  routeHttpMessage,
} from './http/httpRoute.js';
export type { HttpMessageRoute, LegacyHandshakeStep } from './http/httpRoute.js';
export { decodeHeaderValue, encodeHeaderValue } from './http/headerValue.js';
export { checkModernRequest, headerOf, MCP_HEADERS, mcpNameOf, modernRequestHeaders } from './http/modernHeaders.js';
export type { HttpHeaders } from './http/modernHeaders.js';
export { failedPostResponse, httpRejection, jsonRpcErrorBody, rejectionOf } from './http/httpErrors.js';
export type { HttpRejection } from './http/httpErrors.js';
export { corsHeaders, corsPreflightHeaders } from './http/cors.js';
export { checkOrigin, isLoopbackAddress, isLoopbackHostname } from './http/originPolicy.js';
export type { OriginPolicy } from './http/originPolicy.js';
export { acceptsJsonAndSse, acceptsSse, isJsonContentType } from './http/mediaTypes.js';
export { decodeEventId, encodeEventId, encodeSseEvent, encodeSsePriming, encodeSseRetry, SSE_KEEPALIVE } from './http/sse.js';
export type { EventCursor } from './http/sse.js';
export { eventsMissedMessage, messagesMissed } from './http/eventsMissed.js';
export { checkLegacyVersionHeader } from './http/legacyVersionHeader.js';
export { checkParamHeaders, headersOfParams, inspectParamHeaders, paramHeadersOf, paramRequestHeaders } from './http/paramHeaders.js';
export type { ParamHeader, ParamHeaderInspection } from './http/paramHeaders.js';
export { ToolParamBook } from './http/toolParamBook.js';
export type { RejectedTool } from './http/toolParamBook.js';
export {
  connectionClosedResponse,
  isLegacyInitialize,
  isLegacyInitialized,
  nextCursorOf,
  pointsAtLegacySse,
  responseIdOf,
  toolListPageRequest,
  withRequestId,
  withSubscriptionIdMapped,
} from './http/clientMessages.js';
export type { LocalFailureResponse } from './http/clientMessages.js';
export { isModernErrorCode } from './era/modernErrorCodes.js';
