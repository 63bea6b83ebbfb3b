import { LOGGING_LEVELS, NOTIFICATION_METHODS, type EraPreference, type LoggingLevel } from '@tidings/protocol';
import { Option, type Command } from 'commander';
import type { TargetOptions } from './resolveTargets.js';
import { UsageError } from './usageError.js';
import type { WatchEvent } from './watchEvent.js';

/** Options every command takes. */
export interface CommonOptions {
  readonly config?: string;
  readonly json?: boolean;
  readonly color?: boolean;
  readonly era?: EraPreference;
  readonly header?: string[];
  readonly type?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Adds the options of {@link CommonOptions} to a command. */
export function addCommonOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'mcpServers config file (default: .mcp.json, mcp.json, .cursor/mcp.json, .vscode/mcp.json, then Cursor\'s and Claude Desktop\'s)')
    .option('--json', 'print every event as one JSON object per line (NDJSON)')
    .option('--no-color', 'no colours (NO_COLOR works too)')
    .addOption(new Option('--era <era>', 'protocol era to speak (default: auto, per server)').choices(['auto', 'legacy', 'modern']))
    .option('-H, --header <header>', 'HTTP header "Name: value" for URL targets (repeatable)', collect)
    .addOption(new Option('--type <type>', 'transport of URL targets (default: from the scheme)').choices(['http', 'streamable-http', 'sse', 'ws', 'websocket']));
}

/** The `--level` option: which log levels are asked for and shown. */
export const levelOption = (fallback: LoggingLevel): Option =>
  new Option('--level <level>', 'lowest log level to ask for and show').choices(LOGGING_LEVELS).default(fallback);

/** Repeatable-option collector. */
export { collect };

/** The target options of the common ones, with this process's directory and environment. */
export function targetOptions(options: CommonOptions): TargetOptions {
  return { config: options.config, type: options.type, headers: options.header ?? [], cwd: process.cwd(), env: process.env };
}

/** Drops log notifications below `level` (a server may not honour `logging/setLevel`). */
export function withLevel(level: LoggingLevel, sink: (event: WatchEvent) => void): (event: WatchEvent) => void {
  const minimum = LOGGING_LEVELS.indexOf(level);
  return (event) => {
    if (event.type === 'notification' && event.method === NOTIFICATION_METHODS.message) {
      const at = LOGGING_LEVELS.indexOf(event.params?.level as LoggingLevel);
      if (at !== -1 && at < minimum) return;
    }
    sink(event);
  };
}

/** Tool arguments from the command line: a JSON object, or nothing. */
export function parseToolArgs(json: string | undefined): Record<string, unknown> | undefined {
  if (json === undefined || json.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new UsageError(`the tool arguments are not JSON: ${(error as Error).message} (got ${json})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`the tool arguments must be a JSON object, got ${json}`);
  return value as Record<string, unknown>;
}
