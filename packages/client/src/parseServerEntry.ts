import { isAbsolute, resolve } from 'node:path';
import type { EraPreference } from '@tidings/protocol';
import { ConfigError, type ConfigErrorLocation } from './configError.js';
import { interpolate, type InterpolationScope } from './interpolate.js';
import type { ServerConfig, ServerTransport } from './serverConfig.js';

/** What reading one entry needs besides the entry. */
export interface EntryContext extends InterpolationScope {
  /** The config file, for error messages. */
  readonly path: string | undefined;
  /** Folder a relative `cwd` is resolved against: the config file's. */
  readonly baseDir: string;
}

/**
 * `type` (or `transport`) values of the hosts' formats, compared without case,
 * `-` or `_`: Claude Code and MCP Inspector say `streamable-http`, Cline
 * `streamableHttp`, Cursor and VS Code `http`.
 */
const TYPES: Readonly<Record<string, ServerTransport>> = {
  stdio: 'stdio',
  http: 'streamable-http',
  streamablehttp: 'streamable-http',
  sse: 'sse',
  ws: 'websocket',
  websocket: 'websocket',
};
const TYPE_NAMES = 'stdio, http, streamable-http, sse, ws or websocket';
const ERAS: readonly string[] = ['auto', 'legacy', 'modern'];

type Entry = Record<string, unknown>;
/** Where a field of the entry being read is, for errors. */
type Locate = (field?: string) => ConfigErrorLocation;

/**
 * Reads one server entry of an `mcpServers` (or VS Code `servers`) object:
 * `command`/`args`/`env`/`cwd` → stdio; `url` (or Windsurf's `serverUrl`,
 * Gemini CLI's `httpUrl`) with `headers` → a remote server whose wire is
 * `type` or, when absent, the URL's scheme (`ws(s)` → WebSocket, `http(s)` →
 * Streamable HTTP with the HTTP+SSE fallback). Unknown fields are ignored, as
 * every host ignores the others' extensions. Throws a ConfigError naming the
 * server and the field.
 */
export function parseServerEntry(name: string, raw: unknown, context: EntryContext): ServerConfig {
  const where: Locate = (field) => ({ path: context.path, server: name, field });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError('invalid-field', `expected an object with "command" or "url", got ${describe(raw)}`, where());
  }
  const entry = raw as Entry;
  const text = (field: string, value: string) => interpolate(value, context, where(field));
  const era = readEra(entry.era, where('era'));
  const command = optionalString(entry, 'command', where);
  const urlField = ['url', 'serverUrl', 'httpUrl'].find((f) => entry[f] !== undefined);
  const transport = chooseTransport(entry, command !== undefined, urlField, where);

  if (transport === 'stdio') {
    if (command === undefined || command.trim() === '') {
      throw new ConfigError('missing-transport', 'a stdio server needs "command", the program to start', where('command'));
    }
    const cwd = optionalString(entry, 'cwd', where);
    const expandedCwd = cwd === undefined ? undefined : text('cwd', cwd);
    return {
      name,
      era,
      transport,
      command: text('command', command),
      args: stringList(entry.args, 'args', where).map((arg, i) => text(`args.${i}`, arg)),
      env: mapValues(stringMap(entry.env, 'env', where), (key, value) => text(`env.${key}`, value)),
      cwd: expandedCwd === undefined || isAbsolute(expandedCwd) ? expandedCwd : resolve(context.baseDir, expandedCwd),
    };
  }

  const field = urlField ?? 'url';
  const rawUrl = urlField === undefined ? undefined : optionalString(entry, urlField, where);
  if (rawUrl === undefined) throw new ConfigError('missing-transport', `a ${transport} server needs "url"`, where('url'));
  const url = checkUrl(text(field, rawUrl), transport, where(field));
  return { name, era, transport, url, headers: mapValues(readHeaders(entry.headers, where), (key, value) => text(`headers.${key}`, value)) };
}

function chooseTransport(entry: Entry, hasCommand: boolean, urlField: string | undefined, where: Locate): ServerTransport {
  const typeField = entry.type !== undefined ? 'type' : typeof entry.transport === 'string' ? 'transport' : undefined;
  if (typeField !== undefined) {
    const value = entry[typeField];
    if (typeof value !== 'string') throw new ConfigError('invalid-field', `expected a string, got ${describe(value)}`, where(typeField));
    const known = TYPES[value.toLowerCase().replace(/[-_]/g, '')];
    if (!known) throw new ConfigError('unknown-type', `unknown transport type ${JSON.stringify(value)} (expected ${TYPE_NAMES})`, where(typeField));
    return known;
  }
  if (hasCommand && urlField !== undefined) {
    throw new ConfigError('ambiguous-transport', `has both "command" and "${urlField}"; add "type": "stdio" or "type": "http" to choose`, where());
  }
  if (hasCommand) return 'stdio';
  if (urlField === 'httpUrl') return 'streamable-http';
  if (urlField === undefined) {
    throw new ConfigError('missing-transport', 'needs "command" (a server to start) or "url" (a server to reach)', where());
  }
  const url = entry[urlField];
  return typeof url === 'string' && /^wss?:/i.test(url.trim()) ? 'websocket' : 'streamable-http';
}

function checkUrl(value: string, transport: ServerTransport, where: ConfigErrorLocation): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('invalid-field', `${JSON.stringify(value)} is not a URL`, where);
  }
  const web = url.protocol === 'http:' || url.protocol === 'https:';
  const socket = url.protocol === 'ws:' || url.protocol === 'wss:';
  if (transport === 'websocket' && !socket) throw new ConfigError('invalid-field', `a WebSocket server needs a ws:// or wss:// URL, got ${value}`, where);
  if (transport !== 'websocket' && !web) throw new ConfigError('invalid-field', `a ${transport} server needs an http:// or https:// URL, got ${value}`, where);
  return url.href;
}

function readEra(value: unknown, where: ConfigErrorLocation): EraPreference | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && ERAS.includes(value)) return value as EraPreference;
  throw new ConfigError('invalid-field', `expected "auto", "legacy" or "modern", got ${describe(value)}`, where);
}

function optionalString(entry: Entry, field: string, where: Locate): string | undefined {
  const value = entry[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ConfigError('invalid-field', `expected a string, got ${describe(value)}`, where(field));
  return value;
}

function stringList(value: unknown, field: string, where: Locate): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ConfigError('invalid-field', `expected an array of strings, got ${describe(value)}`, where(field));
  return value.map((item: unknown, i) => {
    if (typeof item === 'string') return item;
    if (typeof item === 'number' || typeof item === 'boolean') return String(item);
    throw new ConfigError('invalid-field', `expected a string, got ${describe(item)}`, where(`${field}.${i}`));
  });
}

/** An object of strings; numbers and booleans (`"PORT": 3000`) are written as text, as hosts pass them. */
function stringMap(value: unknown, field: string, where: Locate): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError('invalid-field', `expected an object of strings, got ${describe(value)}`, where(field));
  }
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string') out[key] = item;
    else if (typeof item === 'number' || typeof item === 'boolean') out[key] = String(item);
    else throw new ConfigError('invalid-field', `expected a string, got ${describe(item)}`, where(`${field}.${key}`));
  }
  return out;
}

/** `headers` as an object, or as mcphost's list of `"Name: value"` lines. */
function readHeaders(value: unknown, where: Locate): Record<string, string> {
  if (!Array.isArray(value)) return stringMap(value, 'headers', where);
  const out: Record<string, string> = {};
  value.forEach((line: unknown, i) => {
    const colon = typeof line === 'string' ? line.indexOf(':') : -1;
    if (typeof line !== 'string' || colon <= 0) {
      throw new ConfigError('invalid-field', `expected "Name: value", got ${describe(line)}`, where(`headers.${i}`));
    }
    out[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  });
  return out;
}

function mapValues(record: Record<string, string>, fn: (key: string, value: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, fn(key, value)]));
}

/** A short description of a wrong value for an error message. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
