/**
 * What is wrong with an `mcpServers` config, as a string to branch on:
 * - `unreadable`: the file could not be read;
 * - `invalid-json`: the text is not JSON (the message gives line and column);
 * - `no-servers`: neither `mcpServers` nor `servers` is an object of entries;
 * - `missing-transport`: an entry has neither `command` nor `url`;
 * - `ambiguous-transport`: an entry has both and no `type` to choose;
 * - `unknown-type`: `type` names no transport Tidings speaks;
 * - `invalid-field`: a field has the wrong shape (args not strings, a bad URL…);
 * - `unset-variable`: `${VAR}` names a variable that is not set and has no default;
 * - `unknown-server`: a name that is not in the config was asked for.
 */
export type ConfigErrorCode =
  | 'unreadable'
  | 'invalid-json'
  | 'no-servers'
  | 'missing-transport'
  | 'ambiguous-transport'
  | 'unknown-type'
  | 'invalid-field'
  | 'unset-variable'
  | 'unknown-server';

/** Where a {@link ConfigError} was found. */
export interface ConfigErrorLocation {
  /** The config file, when the config came from one. */
  readonly path?: string;
  /** The server entry's name (its key under `mcpServers`). */
  readonly server?: string;
  /** The field inside the entry, dotted: `type`, `args.2`, `env.API_KEY`, `headers.Authorization`. */
  readonly field?: string;
}

/**
 * A config that cannot be used, thrown by `readServersConfig` and
 * `connectServers` before anything is started. The message names the file,
 * the server and the field; the same facts are fields, for programs.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** What is wrong. */
  readonly code: ConfigErrorCode;
  /** The config file, when the config came from one. */
  readonly path: string | undefined;
  /** The server entry concerned, if one is. */
  readonly server: string | undefined;
  /** The field concerned, if one is. */
  readonly field: string | undefined;

  constructor(code: ConfigErrorCode, detail: string, where: ConfigErrorLocation = {}, options?: { cause?: unknown }) {
    super(locate(where) + detail, options);
    this.code = code;
    this.path = where.path;
    this.server = where.server;
    this.field = where.field;
  }
}

/** `file.json: server "x", field "type": ` — the prefix that lets a person find the mistake. */
function locate({ path, server, field }: ConfigErrorLocation): string {
  const parts: string[] = [];
  if (server !== undefined) parts.push(`server ${JSON.stringify(server)}`);
  if (field !== undefined) parts.push(`field ${JSON.stringify(field)}`);
  const inside = parts.join(', ');
  if (path !== undefined) return inside ? `${path}: ${inside}: ` : `${path}: `;
  return inside ? `${inside}: ` : '';
}
