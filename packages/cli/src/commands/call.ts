import type { LoggingLevel } from '@tidings/protocol';
import { parseToolArgs, targetOptions, withLevel, type CommonOptions } from '../commonOptions.js';
import { connectWatched } from '../connectWatched.js';
import { onInterrupt } from '../interrupt.js';
import { resolveTargets } from '../resolveTargets.js';
import { runCall } from '../runCall.js';
import { UsageError } from '../usageError.js';
import { createView } from '../views/createView.js';
import { contentText } from '../views/describeEvent.js';

/** Options of `tidings call`. */
export interface CallOptions extends CommonOptions {
  readonly level: LoggingLevel;
  readonly notification?: string[];
  readonly timeout?: number;
}

/**
 * `tidings call <server> <tool> [json]` (or `<tool> [json] -- command…`):
 * shows progress bars and logs while the call runs (on stderr), then prints
 * the result on stdout. Resolves with the exit code: 0 on success, 1 when the
 * tool answered with an error or the call failed, 130 when interrupted.
 */
export async function call(args: readonly string[], command: readonly string[] | undefined, options: CallOptions): Promise<number> {
  const [target, tool, json] = command === undefined ? args : [undefined, ...args];
  if (tool === undefined || args.length > (command === undefined ? 3 : 2)) {
    throw new UsageError('usage: tidings call <server> <tool> [json-args]   or   tidings call <tool> [json-args] -- <command> [args…]');
  }
  const toolArgs = parseToolArgs(json);
  const config = resolveTargets(target === undefined ? [] : [target], command, targetOptions(options));
  const server = config.servers[0]!.name;
  const json_ = options.json === true;
  const view = createView({ json: json_, color: options.color, stream: process.stderr, servers: config.servers, command: 'call' });
  let quiet = false;
  // Once the result is in, closing the connection is not news; a stdio server's stderr chatter is shown
  // at --level debug (its last lines are quoted anyway when it fails to start).
  const showStderr = json_ || options.level === 'debug';
  const emit = withLevel(options.level, (event) => {
    if (!quiet && (showStderr || event.type !== 'stderr')) view.event(event);
  });
  const interrupt = onInterrupt();
  try {
    const { pool, close } = await connectWatched(config, emit, { era: options.era, reconnect: false, notifications: options.notification ?? [] });
    try {
      const failure = pool.failures[0];
      if (failure) return 1;
      await pool.setLogLevel(options.level);
      const result = await runCall(pool.get(server), { server, tool, args: toolArgs }, emit, { signal: interrupt.signal, timeoutMs: options.timeout });
      quiet = true;
      view.close();
      if (interrupt.signal.aborted) return 130;
      if (!result) return 1;
      if (!json_) {
        const text = contentText(result.content);
        const shown = text === '' && result.structuredContent !== undefined ? JSON.stringify(result.structuredContent, null, 2) : text;
        (result.isError ? process.stderr : process.stdout).write(`${result.isError ? 'tool error: ' : ''}${shown}\n`);
      }
      return result.isError ? 1 : 0;
    } finally {
      quiet = true;
      await close();
    }
  } finally {
    interrupt.dispose();
    view.close();
  }
}
