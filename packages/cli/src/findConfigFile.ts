import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where hosts keep their `mcpServers` config, in the order `tidings` looks
 * when `--config` is not given: `TIDINGS_CONFIG`, then the project's (Claude
 * Code `.mcp.json`, `mcp.json`, Cursor, VS Code), then the user's (Cursor,
 * Claude Desktop on Linux, macOS and Windows).
 */
export function configCandidates(cwd: string, env: NodeJS.ProcessEnv = process.env, home = homedir()): string[] {
  const candidates = [
    ...(env.TIDINGS_CONFIG ? [env.TIDINGS_CONFIG] : []),
    join(cwd, '.mcp.json'),
    join(cwd, 'mcp.json'),
    join(cwd, '.cursor', 'mcp.json'),
    join(cwd, '.vscode', 'mcp.json'),
    join(home, '.cursor', 'mcp.json'),
    join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Claude', 'claude_desktop_config.json'),
    join(home, 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json'),
  ];
  if (env.APPDATA) candidates.push(join(env.APPDATA, 'Claude', 'claude_desktop_config.json'));
  return candidates;
}

/** The first config file that exists, or undefined. */
export function findConfigFile(cwd: string, env: NodeJS.ProcessEnv = process.env, home = homedir()): string | undefined {
  return configCandidates(cwd, env, home).find((path) => existsSync(path));
}
