import { ConfigError } from '@tidings/client';
import { Command, CommanderError, Option } from 'commander';
import { call } from './commands/call.js';
import { list } from './commands/list.js';
import { watch } from './commands/watch.js';
import { addCommonOptions, collect, levelOption } from './commonOptions.js';
import { UsageError } from './usageError.js';
import { CLI_VERSION } from './version.js';

const timeoutOption = () =>
  new Option('--timeout <ms>', 'fail a call after this long without a response or progress').argParser((value) => {
    const ms = Number(value);
    if (!Number.isInteger(ms) || ms <= 0) throw new UsageError(`--timeout takes a positive number of milliseconds, got ${value}`);
    return ms;
  });

/**
 * Runs the `tidings` command line and resolves with its exit code: 0 done,
 * 1 a server or a call failed, 2 a usage or config mistake, 130 interrupted.
 * `argv` is what follows the program name; everything after `--` is the
 * command that starts a stdio server.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const split = argv.indexOf('--');
  const args = split === -1 ? [...argv] : argv.slice(0, split);
  const serverCommand = split === -1 ? undefined : argv.slice(split + 1);
  let code = 0;

  const program = new Command('tidings')
    .description('Watch MCP servers live: progress bars, list changes, logs and resource updates, from an mcpServers config, a URL or a command.')
    .version(CLI_VERSION)
    .exitOverride()
    .showHelpAfterError('(run tidings --help for usage)')
    .addHelpText('after', '\nServers: names from the config, URLs (http(s):// → Streamable HTTP, falling back to HTTP+SSE; ws(s):// → WebSocket), or a command after --.');

  addCommonOptions(
    program
      .command('watch')
      .description('show every notification of one or many servers until Ctrl-C')
      .argument('[servers...]', 'config names or URLs (default: every server of the config)')
      .addOption(levelOption('info'))
      .option('--subscribe <uri>', 'subscribe to a resource\'s updates (repeatable)', collect)
      .option('--notification <method>', 'custom notification to listen for; modern servers send only those named (repeatable)', collect)
      .option('--call <spec>', 'call a tool once connected: "[server:]tool [json-args]" (repeatable)', collect)
      .option('--task', 'ask for the --call tools to run as tasks; their states are shown as they change')
      .addOption(timeoutOption()),
  ).action(async (servers: string[], options) => void (code = await watch(servers, serverCommand, options)));

  addCommonOptions(
    program
      .command('call')
      .description('call a tool, showing its progress while it runs, then print the result')
      .usage('<server> <tool> [json-args]  |  <tool> [json-args] -- <command> [args...]')
      .argument('<args...>')
      .addOption(levelOption('info'))
      .option('--notification <method>', 'custom notification to show while the call runs (repeatable)', collect)
      .addOption(timeoutOption()),
  ).action(async (args: string[], options) => void (code = await call(args, serverCommand, options)));

  addCommonOptions(
    program
      .command('list')
      .description("list a server's tools, resources or prompts")
      .usage('<server> [tools|resources|prompts]  |  [tools|resources|prompts] -- <command> [args...]')
      .argument('[args...]'),
  ).action(async (args: string[], options) => void (code = await list(args, serverCommand, options)));

  try {
    await program.parseAsync(args, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof UsageError || error instanceof ConfigError) {
      process.stderr.write(`tidings: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
