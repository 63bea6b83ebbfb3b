import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { ConfigError } from './configError.js';
import { parseConfigText } from './parseConfigText.js';
import { parseServerEntry } from './parseServerEntry.js';
import type { ServerConfig, ServersConfig } from './serverConfig.js';

/** Options of {@link readServersConfig}. */
export interface ReadServersConfigOptions {
  /** Variables `${VAR}` references read. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Folder a relative `cwd` is resolved against. @default the config file's folder, else process.cwd() */
  readonly baseDir?: string;
}

/**
 * The config as the hosts write it: the `mcpServers` object of Claude
 * Desktop, Claude Code, Cursor, MCP Inspector and mcp-use, or the `servers`
 * object of VS Code's `mcp.json`.
 */
export interface McpServersJson {
  readonly mcpServers?: Readonly<Record<string, unknown>>;
  readonly servers?: Readonly<Record<string, unknown>>;
}

/**
 * Reads and checks an `mcpServers` config before anything is started.
 * `source` is a parsed object, a file path, or JSON text (a string starting
 * with `{`). Comments and trailing commas are allowed (VS Code, Cursor);
 * `${VAR}`, `${VAR:-default}`, `${env:VAR}`, `${userHome}` and
 * `${workspaceFolder}` are expanded in every string field; entries with
 * `"disabled": true` are listed apart. Throws a {@link ConfigError} naming
 * the file, the server and the field.
 */
export function readServersConfig(source: string | McpServersJson, options: ReadServersConfigOptions = {}): ServersConfig {
  let json: unknown = source;
  let path: string | undefined;
  if (typeof source === 'string') {
    if (source.trimStart().startsWith('{')) json = parseConfigText(source);
    else {
      path = resolve(source);
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (cause) {
        const reason = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message;
        throw new ConfigError('unreadable', `cannot read the config: ${reason}`, { path }, { cause });
      }
      json = parseConfigText(text, path);
    }
  }
  const entries = serverEntries(json, path);
  const fileDir = path === undefined ? undefined : dirname(path);
  // `.vscode/mcp.json` and `.cursor/mcp.json` sit one folder below the workspace they describe.
  const workspaceFolder = fileDir !== undefined && ['.vscode', '.cursor'].includes(basename(fileDir)) ? dirname(fileDir) : fileDir;
  const context = {
    path,
    baseDir: options.baseDir ?? fileDir ?? process.cwd(),
    env: options.env ?? process.env,
    userHome: homedir(),
    workspaceFolder: workspaceFolder ?? process.cwd(),
  };
  const servers: ServerConfig[] = [];
  const disabled: string[] = [];
  for (const [name, entry] of Object.entries(entries)) {
    if (typeof entry === 'object' && entry !== null && (entry as { disabled?: unknown }).disabled === true) disabled.push(name);
    else servers.push(parseServerEntry(name, entry, context));
  }
  return { servers, disabled, path };
}

function serverEntries(json: unknown, path: string | undefined): Record<string, unknown> {
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (isObject(json)) {
    for (const key of ['mcpServers', 'servers'] as const) {
      const value = json[key];
      if (value === undefined) continue;
      if (!isObject(value)) throw new ConfigError('no-servers', `"${key}" must be an object of server entries`, { path, field: key });
      return value;
    }
  }
  throw new ConfigError('no-servers', 'expected an object with "mcpServers" (or VS Code\'s "servers") holding the server entries', { path });
}
