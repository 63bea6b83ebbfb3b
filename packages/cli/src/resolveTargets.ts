import { basename } from 'node:path';
import { readServersConfig, type ServersConfig } from '@tidings/client';
import { configCandidates, findConfigFile } from './findConfigFile.js';
import { UsageError } from './usageError.js';

/** What the command line says to connect to. */
export interface TargetOptions {
  /** `--config <file>`: a path or JSON text. */
  readonly config: string | undefined;
  /** `--type` for URL targets: http, streamable-http, sse, ws, websocket. */
  readonly type: string | undefined;
  /** `--header "Name: value"` for URL targets. */
  readonly headers: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Programs that start a server named by their first argument (`npx -y @org/server`). */
const LAUNCHERS = new Set(['node', 'npx', 'bunx', 'bun', 'deno', 'tsx', 'uvx', 'uv', 'python', 'python3', 'pnpm', 'yarn', 'docker', 'pipx']);
const isUrl = (target: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(target);

/**
 * Turns targets into the servers to connect: names from the config (all of
 * them when no target is given), URLs (named by host and port), and a
 * command after `--` (named by the program it starts). The result goes
 * through the same reader as a config file, so a URL target is checked and
 * typed the same way an entry is.
 */
export function resolveTargets(targets: readonly string[], command: readonly string[] | undefined, options: TargetOptions): ServersConfig {
  const names = targets.filter((t) => !isUrl(t));
  const urls = targets.filter(isUrl);
  const needsFile = names.length > 0 || (urls.length === 0 && command === undefined);
  const file = needsFile ? loadConfig(options) : undefined;
  const picked = file ? pick(file, names) : [];

  const adHoc: Record<string, unknown> = {};
  const taken = new Set(picked.map((s) => s.name));
  const claim = (wanted: string): string => {
    let name = wanted;
    for (let i = 2; taken.has(name); i++) name = `${wanted}-${i}`;
    taken.add(name);
    return name;
  };
  for (const url of urls) {
    adHoc[claim(urlName(url))] = { url, ...(options.type && { type: options.type }), headers: [...options.headers] };
  }
  if (command !== undefined) {
    if (command.length === 0) throw new UsageError('nothing after "--": give the command that starts the server, e.g. -- npx -y @modelcontextprotocol/server-everything');
    adHoc[claim(commandName(command))] = { command: command[0], args: command.slice(1) };
  }
  const extra = Object.keys(adHoc).length > 0 ? readServersConfig({ mcpServers: adHoc }, { env: options.env, baseDir: options.cwd }).servers : [];
  return { servers: [...picked, ...extra], disabled: file?.disabled ?? [], path: file?.path };
}

function loadConfig(options: TargetOptions): ServersConfig {
  const source = options.config ?? findConfigFile(options.cwd, options.env);
  if (source === undefined) {
    const looked = configCandidates(options.cwd, options.env).join(', ');
    throw new UsageError(`no config file found; pass --config <file>, a URL, or -- <command> (looked for ${looked})`);
  }
  return readServersConfig(source, { env: options.env });
}

function pick(config: ServersConfig, names: readonly string[]) {
  if (names.length === 0) return [...config.servers];
  return names.map((name) => {
    const found = config.servers.find((s) => s.name === name);
    if (found) return found;
    const why = config.disabled.includes(name) ? 'is disabled in' : 'is not in';
    const known = config.servers.map((s) => s.name).join(', ') || 'none';
    throw new UsageError(`server "${name}" ${why} ${config.path ?? 'the config'} (servers: ${known})`);
  });
}

/** `127.0.0.1:3000` for `http://127.0.0.1:3000/mcp`. */
function urlName(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/** `server-everything` for `npx -y @modelcontextprotocol/server-everything`, `my-server` for `./my-server --flag`. */
function commandName(command: readonly string[]): string {
  const program = basename(command[0]!);
  if (!LAUNCHERS.has(program.replace(/\.(exe|cmd)$/, ''))) return program;
  // A path or a package name names the server better than a flag's value (`node --import tsx server.ts`).
  const operands = command.slice(1).filter((arg) => !arg.startsWith('-') && arg !== 'run' && arg !== 'exec' && arg !== 'dlx');
  const target = operands.find((arg) => arg.includes('/') || /\.(m?[jt]s|py)$/.test(arg)) ?? operands[0];
  if (target === undefined) return program;
  const last = target.replace(/@[^/@]*$/, '').split('/').pop() || target;
  return last.replace(/\.(m?[jt]s|py)$/, '');
}
