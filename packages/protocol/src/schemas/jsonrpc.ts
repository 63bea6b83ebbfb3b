import * as z from 'zod';
import { ProtocolError } from '../errors.js';
import { exceedsDepth, MAX_MESSAGE_DEPTH } from './messageDepth.js';

/** The only `jsonrpc` value MCP speaks. */
export const JSONRPC_VERSION = '2.0';

/** Validates a request id: a string or a (safe) integer. 0 is a real id. */
export const RequestIdSchema = z.union([z.string(), z.number().int()]);
/** A JSON-RPC request id. */
export type RequestId = z.infer<typeof RequestIdSchema>;

// `params` and `result` are JSON objects, never arrays (MCP narrows JSON-RPC 2.0 here).
const JsonObjectSchema = z.looseObject({});
// Declaring the members a kind must not carry as `?: undefined` makes the union below
// unambiguous and lets `msg.method !== undefined` / `msg.id !== undefined` narrow it.
const Absent = z.undefined().optional();

/** Validates a request: a message with a `method` and an `id`, expecting a response. */
export const JSONRPCRequestSchema = z.looseObject({
  jsonrpc: z.literal(JSONRPC_VERSION),
  id: RequestIdSchema,
  method: z.string(),
  params: JsonObjectSchema.optional(),
});
/** A JSON-RPC request. Unknown members are kept. */
export type JSONRPCRequest = z.infer<typeof JSONRPCRequestSchema>;

/** Validates a notification: a message with a `method` and no `id`. */
export const JSONRPCNotificationSchema = z.looseObject({
  jsonrpc: z.literal(JSONRPC_VERSION),
  id: Absent,
  method: z.string(),
  params: JsonObjectSchema.optional(),
});
/** A JSON-RPC notification. Unknown members are kept. */
export type JSONRPCNotification = z.infer<typeof JSONRPCNotificationSchema>;

/** Validates a successful response: `id` and an object `result`. */
export const JSONRPCResultResponseSchema = z.looseObject({
  jsonrpc: z.literal(JSONRPC_VERSION),
  id: RequestIdSchema,
  result: JsonObjectSchema,
  method: Absent,
  error: Absent,
});
/** A JSON-RPC success response. */
export type JSONRPCResultResponse = z.infer<typeof JSONRPCResultResponseSchema>;

/** Validates the `error` member of an error response. */
export const JSONRPCErrorSchema = z.looseObject({
  code: z.number().int(),
  message: z.string(),
  data: z.unknown().optional(),
});
/** The `error` member of an error response. */
export type JSONRPCError = z.infer<typeof JSONRPCErrorSchema>;

/**
 * Validates an error response. `id` is null when the failing request's id could
 * not be read; an absent `id` (allowed by the MCP schema) is read as null.
 */
export const JSONRPCErrorResponseSchema = z.looseObject({
  jsonrpc: z.literal(JSONRPC_VERSION),
  id: z.union([RequestIdSchema, z.null()]).default(null),
  error: JSONRPCErrorSchema,
  method: Absent,
  result: Absent,
});
/** A JSON-RPC error response. */
export type JSONRPCErrorResponse = z.infer<typeof JSONRPCErrorResponseSchema>;

/** Validates either kind of response. */
export const JSONRPCResponseSchema = z.union([JSONRPCResultResponseSchema, JSONRPCErrorResponseSchema]);
/** A JSON-RPC response, success or error. */
export type JSONRPCResponse = JSONRPCResultResponse | JSONRPCErrorResponse;

/**
 * Validates any single MCP message. Batches (arrays) are not part of MCP since
 * 2025-06-18. Accepts exactly what {@link parseMessage} accepts.
 */
export const JSONRPCMessageSchema = z.union([
  JSONRPCRequestSchema,
  JSONRPCNotificationSchema,
  JSONRPCResultResponseSchema,
  JSONRPCErrorResponseSchema,
]);
/** Any single JSON-RPC message. */
export type JSONRPCMessage = JSONRPCRequest | JSONRPCNotification | JSONRPCResponse;

/** `data` of the InvalidRequest error thrown by {@link parseMessage}. */
export interface InvalidMessageData {
  /** What was wrong, in one phrase. */
  readonly reason: string;
  /**
   * The id of a broken message meant as a request, when it was readable, so the
   * engine can answer it. Absent for broken responses, which are never answered.
   */
  readonly id?: RequestId;
}

/** Whether a message is a request (has a method and an id). */
export function isJSONRPCRequest(message: JSONRPCMessage): message is JSONRPCRequest {
  return message.method !== undefined && message.id !== undefined;
}

/** Whether a message is a notification (has a method, no id). */
export function isJSONRPCNotification(message: JSONRPCMessage): message is JSONRPCNotification {
  return message.method !== undefined && message.id === undefined;
}

/** Whether a message is a success response. */
export function isJSONRPCResultResponse(message: JSONRPCMessage): message is JSONRPCResultResponse {
  return message.method === undefined && message.result !== undefined;
}

/** Whether a message is an error response. */
export function isJSONRPCErrorResponse(message: JSONRPCMessage): message is JSONRPCErrorResponse {
  return message.method === undefined && message.error !== undefined;
}

/**
 * Reads one inbound message. Called by the engine for everything a transport
 * delivers: a string is raw JSON text, anything else a value the transport
 * already parsed. Returns the message itself (unknown members kept; an error
 * response without `id` comes back with `id: null`).
 *
 * Throws only ProtocolError: ParseError for text that is not JSON, InvalidRequest
 * (with {@link InvalidMessageData}) for JSON that is not one JSON-RPC message
 * or that nests deeper than {@link MAX_MESSAGE_DEPTH}; a request's id is kept
 * in `data.id` when readable, so the engine answers it.
 * The structural check is hand-written `typeof` tests: this is the hot path.
 */
export function parseMessage(input: unknown): JSONRPCMessage {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (cause) {
      throw new ProtocolError('ParseError', 'Parse error: the message is not valid JSON', { cause });
    }
  }
  try {
    return checkMessage(value);
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    // Only an already-parsed value can get here (a throwing getter or proxy): still bad input.
    throw new ProtocolError('InvalidRequest', 'Invalid request: the message could not be read', {
      data: { reason: 'the message could not be read' } satisfies InvalidMessageData,
      cause: error,
    });
  }
}

function checkMessage(value: unknown): JSONRPCMessage {
  if (!isObject(value)) {
    throw invalid(Array.isArray(value) ? 'batches are not supported, send one message at a time' : 'the message is not a JSON object');
  }
  const id = value.id;
  const method = value.method;
  const result = value.result;
  const error = value.error;
  // A broken response is never answered (JSON-RPC 2.0 §5), so its id is not passed on.
  const meantAsRequest = method !== undefined || (result === undefined && error === undefined);
  const answerId = meantAsRequest && isRequestId(id) ? id : undefined;

  if (value.jsonrpc !== JSONRPC_VERSION) throw invalid('"jsonrpc" must be "2.0"', answerId);

  if (method !== undefined) {
    if (typeof method !== 'string') throw invalid('"method" must be a string', answerId);
    const params = value.params;
    if (params !== undefined && !isObject(params)) throw invalid('"params" must be an object', answerId);
    if (id !== undefined && answerId === undefined) throw invalid('"id" must be a string or an integer');
    checkDepth(value, answerId);
    return value as JSONRPCRequest | JSONRPCNotification;
  }

  if (result !== undefined) {
    if (error !== undefined) throw invalid('a response carries "result" or "error", not both');
    if (!isRequestId(id)) throw invalid('"id" must be a string or an integer');
    if (!isObject(result)) throw invalid('"result" must be an object');
    checkDepth(value);
    return value as JSONRPCResultResponse;
  }

  if (error !== undefined) {
    if (!isObject(error) || !isInteger(error.code) || typeof error.message !== 'string') {
      throw invalid('"error" must be an object with an integer "code" and a string "message"');
    }
    checkDepth(value);
    if (id === undefined) return { ...value, id: null } as JSONRPCErrorResponse;
    if (id !== null && !isRequestId(id)) throw invalid('"id" must be a string, an integer or null');
    return value as JSONRPCErrorResponse;
  }

  throw invalid('the message has no "method", "result" or "error"', answerId);
}

/**
 * Refuses a message nested deeper than {@link MAX_MESSAGE_DEPTH}: handlers, validators and the
 * request-state binding recurse into params, and a deep enough value overflows the stack
 * (PROTOCOL.md §transport: inbound text is judged by the core, once, for every transport).
 */
function checkDepth(message: Record<string, unknown>, answerId?: RequestId): void {
  if (exceedsDepth(message, MAX_MESSAGE_DEPTH)) {
    throw invalid(`the message nests objects and arrays more than ${MAX_MESSAGE_DEPTH} levels deep`, answerId);
  }
}

function invalid(reason: string, id?: RequestId): ProtocolError {
  const data: InvalidMessageData = id === undefined ? { reason } : { reason, id };
  return new ProtocolError('InvalidRequest', `Invalid request: ${reason}`, { data });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Safe integers only, as zod's `.int()`: larger ids cannot round-trip through JSON.
function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function isRequestId(value: unknown): value is RequestId {
  return typeof value === 'string' || isInteger(value);
}
