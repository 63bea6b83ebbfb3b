import { META } from '../constants.js';
import { readModernEnvelope } from '../era/modernEnvelope.js';
import { ProtocolError } from '../errors.js';
import { decodeHeaderValue, encodeHeaderValue } from './headerValue.js';
import { checkParamHeaders } from './paramHeaders.js';

/** Lower-case names of the headers MCP defines on Streamable HTTP. */
export const MCP_HEADERS = {
  protocolVersion: 'mcp-protocol-version',
  method: 'mcp-method',
  name: 'mcp-name',
  sessionId: 'mcp-session-id',
  lastEventId: 'last-event-id',
} as const;

/** Request headers as Node gives them: lower-case names, repeated headers as arrays. */
export type HttpHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** One header's value; a repeated header is joined as RFC 9110 §5.3 says. */
export function headerOf(headers: HttpHeaders, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value.trim() : value.join(', ').trim();
}

/** Methods whose `Mcp-Name` header mirrors a params field (2026-07-28 streamable-http §standard request headers). */
const NAME_SOURCES: Readonly<Record<string, string>> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
  'tasks/get': 'taskId',
  'tasks/update': 'taskId',
  'tasks/cancel': 'taskId',
};

/** The value `Mcp-Name` must carry for this request, or undefined when the method has none. */
export function mcpNameOf(method: string, params: unknown): string | undefined {
  const field = NAME_SOURCES[method];
  if (field === undefined) return undefined;
  const value = (params as Record<string, unknown> | undefined)?.[field];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The request-metadata headers a client sends with a modern message
 * (`MCP-Protocol-Version`, `Mcp-Method`, `Mcp-Name`), or undefined when the
 * message carries no modern envelope. Called by HTTP client transports.
 */
export function modernRequestHeaders(message: Readonly<Record<string, unknown>>): Record<string, string> | undefined {
  const method = message.method;
  const meta = (message.params as { _meta?: Record<string, unknown> } | undefined)?._meta;
  const version = meta?.[META.protocolVersion];
  if (typeof method !== 'string' || typeof version !== 'string') return undefined;
  const headers: Record<string, string> = { 'MCP-Protocol-Version': version, 'Mcp-Method': method };
  const name = mcpNameOf(method, message.params);
  if (name !== undefined) headers['Mcp-Name'] = encodeHeaderValue(name);
  return headers;
}

/**
 * Checks a modern POST's headers against its body (2026-07-28
 * streamable-http §server validation, versioning). Returns the error to
 * answer with, or undefined when the request may be served. Order matters to
 * the referee: a malformed envelope is −32602, then any header that is
 * missing or disagrees with the body is −32020 HeaderMismatch, then an
 * unsupported revision is −32022 and a legacy-only method −32601. With
 * `toolInputSchema`, a `tools/call`'s `Mcp-Param-*` headers are checked too.
 */
export function checkModernRequest(
  headers: HttpHeaders,
  message: Readonly<Record<string, unknown>>,
  /** The `inputSchema` of a tool by name, to check its `Mcp-Param-*` headers; unset skips them. */
  toolInputSchema?: (name: string) => unknown,
): ProtocolError | undefined {
  const method = message.method as string;
  const params = message.params;
  if (message.id === undefined) {
    // Notifications: the spec defines no header requirements; a present header must still agree.
    const header = headerOf(headers, MCP_HEADERS.method);
    return header !== undefined && header !== method ? mismatch('Mcp-Method', header, method) : undefined;
  }
  let envelopeError: ProtocolError | undefined;
  try {
    readModernEnvelope(method, params);
  } catch (error) {
    envelopeError = error as ProtocolError;
  }
  if (envelopeError?.code === 'InvalidParams') return envelopeError;

  const bodyVersion = (params as { _meta?: Record<string, unknown> } | undefined)?._meta?.[META.protocolVersion] as string;
  const versionHeader = headerOf(headers, MCP_HEADERS.protocolVersion);
  if (versionHeader !== bodyVersion) return mismatch('MCP-Protocol-Version', versionHeader, bodyVersion);
  const methodHeader = headerOf(headers, MCP_HEADERS.method);
  if (methodHeader !== method) return mismatch('Mcp-Method', methodHeader, method);
  const name = mcpNameOf(method, params);
  if (name !== undefined) {
    const raw = headerOf(headers, MCP_HEADERS.name);
    const decoded = raw === undefined ? undefined : decodeHeaderValue(raw);
    if (raw !== undefined && decoded === undefined) {
      return new ProtocolError('HeaderMismatch', 'Header mismatch: Mcp-Name carries malformed Base64');
    }
    if (decoded !== name) return mismatch('Mcp-Name', decoded, name);
  }
  if (envelopeError) return envelopeError;
  if (method === 'tools/call' && toolInputSchema && name !== undefined) {
    const schema = toolInputSchema(name);
    if (schema !== undefined) return checkParamHeaders(schema, (params as { arguments?: unknown }).arguments, headers);
  }
  return undefined;
}

function mismatch(header: string, value: string | undefined, body: string): ProtocolError {
  const message =
    value === undefined
      ? `Header mismatch: the ${header} header is required and must be ${JSON.stringify(body)}`
      : `Header mismatch: ${header} header value ${JSON.stringify(value)} does not match body value ${JSON.stringify(body)}`;
  return new ProtocolError('HeaderMismatch', message, { data: { header, expected: body, ...(value === undefined ? {} : { received: value }) } });
}
