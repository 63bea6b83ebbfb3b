import { ProtocolError } from '../errors.js';
import { decodeHeaderValue, encodeHeaderValue } from './headerValue.js';
import { headerOf, type HttpHeaders } from './modernHeaders.js';

/** One tool parameter mirrored into an `Mcp-Param-{name}` header (2026-07-28 streamable-http §custom headers). */
export interface ParamHeader {
  /** The `x-mcp-header` value: the header is `Mcp-Param-{name}`. */
  readonly name: string;
  /** Property path from the arguments root, through `properties` keys only. */
  readonly path: readonly string[];
}

/** An HTTP field-name token (RFC 9110 §5.1: `1*tchar`). */
export const HEADER_NAME_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** What a tool's `x-mcp-header` annotations say: the mirrored parameters, or why the definition is invalid. */
export type ParamHeaderInspection = { readonly params: ParamHeader[] } | { readonly invalid: string };

/**
 * Reads the `x-mcp-header` annotations of a tool's `inputSchema`: every
 * property reachable through `properties` alone whose annotation is a valid,
 * case-insensitively unique header-name token on a string, integer or
 * boolean parameter. Any other annotation makes the tool definition invalid.
 */
export function inspectParamHeaders(inputSchema: unknown): ParamHeaderInspection {
  const params: ParamHeader[] = [];
  const seen = new Set<string>();
  let invalid: string | undefined;
  const walk = (schema: unknown, path: string[]): void => {
    const properties = (schema as { properties?: unknown } | undefined)?.properties;
    if (typeof properties !== 'object' || properties === null) return;
    for (const [key, property] of Object.entries(properties as Record<string, unknown>)) {
      const name = (property as { 'x-mcp-header'?: unknown } | undefined)?.['x-mcp-header'];
      const at = [...path, key];
      if (name !== undefined && invalid === undefined) invalid = annotationProblem(name, (property as { type?: unknown }).type, seen, at);
      if (name !== undefined && invalid === undefined) {
        seen.add((name as string).toLowerCase());
        params.push({ name: name as string, path: at });
      }
      walk(property, at);
    }
  };
  walk(inputSchema, []);
  return invalid === undefined ? { params } : { invalid };
}

function annotationProblem(name: unknown, type: unknown, seen: ReadonlySet<string>, path: readonly string[]): string | undefined {
  const where = `x-mcp-header of ${path.join('.')}`;
  if (typeof name !== 'string' || !HEADER_NAME_TOKEN.test(name)) return `${where} is not an HTTP header-name token`;
  if (seen.has(name.toLowerCase())) return `${where} repeats the header name ${name}`;
  if (type !== 'string' && type !== 'integer' && type !== 'boolean') return `${where} is on a parameter that is not a string, integer or boolean`;
  return undefined;
}

/**
 * The parameters a tool's `inputSchema` mirrors into headers, or undefined
 * when its annotations break the spec's constraints (the tool definition is
 * invalid).
 */
export function paramHeadersOf(inputSchema: unknown): ParamHeader[] | undefined {
  const inspection = inspectParamHeaders(inputSchema);
  return 'params' in inspection ? inspection.params : undefined;
}

function valueAt(args: unknown, path: readonly string[]): unknown {
  let value = args;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** The header text of a primitive parameter value (value encoding rules), or undefined for none. */
function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

/** The `Mcp-Param-*` headers a client sends for a `tools/call` of a tool with this `inputSchema`. */
export function paramRequestHeaders(inputSchema: unknown, args: unknown): Record<string, string> {
  return headersOfParams(paramHeadersOf(inputSchema) ?? [], args);
}

/** The `Mcp-Param-*` headers of already inspected parameters (value encoding rules; absent values send none). */
export function headersOfParams(params: readonly ParamHeader[], args: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const param of params) {
    const text = headerText(valueAt(args, param.path));
    if (text !== undefined) headers[`Mcp-Param-${param.name}`] = encodeHeaderValue(text);
  }
  return headers;
}

/**
 * Checks the `Mcp-Param-*` headers of a `tools/call` against its arguments
 * (2026-07-28 streamable-http §server behavior for custom headers): a value
 * present in the body needs its header, decoded Base64 must be well formed,
 * and the values must agree (integers numerically). Returns the −32020
 * error to answer with, or undefined.
 */
export function checkParamHeaders(inputSchema: unknown, args: unknown, headers: HttpHeaders): ProtocolError | undefined {
  for (const param of paramHeadersOf(inputSchema) ?? []) {
    const header = `Mcp-Param-${param.name}`;
    const value = valueAt(args, param.path);
    const raw = headerOf(headers, header.toLowerCase());
    if (value === undefined || value === null) continue;
    if (raw === undefined) {
      return new ProtocolError('HeaderMismatch', `Header mismatch: ${header} is required because the arguments carry ${param.path.join('.')}`);
    }
    const decoded = decodeHeaderValue(raw);
    if (decoded === undefined) return new ProtocolError('HeaderMismatch', `Header mismatch: ${header} carries malformed Base64`);
    const agrees =
      typeof value === 'number' ? decoded.trim() !== '' && Number(decoded) === value : decoded === headerText(value);
    if (!agrees) {
      return new ProtocolError('HeaderMismatch', `Header mismatch: ${header} value ${JSON.stringify(decoded)} does not match body value ${JSON.stringify(value)}`);
    }
  }
  return undefined;
}
