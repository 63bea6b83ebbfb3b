import { ConfigError, type ConfigErrorLocation } from './configError.js';

/** What `${…}` references can name while a config is read. */
export interface InterpolationScope {
  /** Variables for `${VAR}`, `${VAR:-default}` and `${env:VAR}`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `${userHome}` (Cursor, VS Code). */
  readonly userHome: string | undefined;
  /** `${workspaceFolder}` (Cursor, VS Code). */
  readonly workspaceFolder: string | undefined;
}

// ${NAME}, ${NAME:-default} (Claude Code), ${env:NAME} (Cursor, VS Code), ${userHome}, ${workspaceFolder}, ${input:id} (VS Code).
const REFERENCE = /\$\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Expands the `${…}` references of one string field, as the hosts whose
 * configs we read do. A variable that is not set and has no default is an
 * error naming the server and field, never an empty string sent to a server
 * as an API key. `$VAR` without braces is left as it is (hosts do the same).
 */
export function interpolate(value: string, scope: InterpolationScope, where: ConfigErrorLocation): string {
  return value.replace(REFERENCE, (whole, inner: string) => {
    if (inner === 'userHome' && scope.userHome !== undefined) return scope.userHome;
    if (inner === 'workspaceFolder' && scope.workspaceFolder !== undefined) return scope.workspaceFolder;
    if (inner.startsWith('input:')) {
      throw new ConfigError('invalid-field', `${whole} asks VS Code to prompt for a value; put the value (or \${VAR}) in the file`, where);
    }
    const body = inner.startsWith('env:') ? inner.slice(4) : inner;
    const split = body.indexOf(':-');
    const name = split === -1 ? body : body.slice(0, split);
    if (!NAME.test(name)) return whole;
    const set = scope.env[name];
    if (set !== undefined && set !== '') return set;
    if (split !== -1) return body.slice(split + 2);
    if (set === '') return set;
    throw new ConfigError('unset-variable', `${whole} is not set (set ${name}, or write \${${name}:-default})`, where);
  });
}
