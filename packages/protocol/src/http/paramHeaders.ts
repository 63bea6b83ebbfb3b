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

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The parameters a tool's `inputSchema` mirrors into headers: every property
 * reachable through `properties` alone whose `x-mcp-header` is a valid,
 * case-insensitively unique header-name token. Returns undefined when the
 * annotations break the spec's constraints (the tool definition is invalid).
 */
export function paramHeadersOf(inputSchema: unknown): ParamHeader[] | undefined {
  const found: ParamHeader[] = [];
  const seen = new Set<string>();
  let valid = true;
  const walk = (schema: unknown, path: string[]): void => {
    const properties = (schema as { properties?: unknown } | undefined)?.properties;
    if (typeof properties !== 'object' || properties === null) return;
    for (const [key, property] of Object.entries(properties as Record<string, unknown>)) {
      const name = (property as { 'x-mcp-header'?: unknown } | undefined)?.['x-mcp-header'];
      if (name !== undefined) {
        const type = (property as { type?: unknown }).type;
        if (typeof name !== 'string' || !TOKEN.test(name) || seen.has(name.toLowerCase()) || !['string', 'integer', 'boolean'].includes(type as string)) {
          valid = false;
        } else {
          seen.add(name.toLowerCase());
          found.push({ name, path: [...path, key] });
        }
      }
      walk(property, [...path, key]);
    }
  };
  walk(inputSchema, []);
  return valid ? found : undefined;
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
  const headers: Record<string, string> = {};
  for (const param of paramHeadersOf(inputSchema) ?? []) {
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
