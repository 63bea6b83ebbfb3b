import type { LoggingLevel } from '@tidings/protocol';
import { parseToolArgs, targetOptions, withLevel, type CommonOptions } from '../commonOptions.js';
import { connectWatched } from '../connectWatched.js';
import { onInterrupt } from '../interrupt.js';
import { resolveTargets } from '../resolveTargets.js';
import { runCall, type CallSpec } from '../runCall.js';
import { UsageError } from '../usageError.js';
import { createView } from '../views/createView.js';
import { timestamp } from '../watchEvent.js';

/** Options of `tidings watch`. */
export interface WatchOptions extends CommonOptions {
  readonly level: LoggingLevel;
  readonly subscribe?: string[];
  readonly notification?: string[];
  readonly call?: string[];
  readonly timeout?: number;
  /** `--task`: the `--call` tools are asked to run as tasks. */
  readonly task?: boolean;
}

/**
 * `tidings watch [targets…] [-- command args…]`: connects every target and
 * shows what it sends until Ctrl-C, then closes every connection and stops
 * every stdio server. Resolves with the exit code: 0 after Ctrl-C, 1 when no
 * server could be connected.
 */
export async function watch(targets: readonly string[], command: readonly string[] | undefined, options: WatchOptions): Promise<number> {
  const config = resolveTargets(targets, command, targetOptions(options));
  if (config.servers.length === 0) throw new UsageError(`${config.path ?? 'the config'} has no enabled servers`);
  const names = config.servers.map((s) => s.name);
  const calls = (options.call ?? []).flatMap((spec) => parseCallSpec(spec, names));
  const view = createView({ json: options.json === true, color: options.color, stream: process.stdout, servers: config.servers, command: 'watch' });
  const emit = withLevel(options.level, (event) => view.event(event));
  const interrupt = onInterrupt();
  try {
    const { pool, close } = await connectWatched(config, emit, { era: options.era, reconnect: true, notifications: options.notification ?? [] });
    const problem = (server: string, message: string) => emit({ type: 'error', time: timestamp(), server, message });
    if (pool.failures.length === names.length) {
      await close();
      return 1;
    }
    for (const { server, error } of await pool.setLogLevel(options.level)) problem(server, `cannot set the log level: ${error.message}`);
    for (const uri of options.subscribe ?? []) {
      for (const { server, error } of await pool.subscribe(uri)) problem(server, `cannot subscribe to ${uri}: ${error.message}`);
    }
    for (const spec of calls) {
      if (pool.state(spec.server).kind !== 'ready') continue;
      void runCall(pool.get(spec.server), spec, emit, { signal: interrupt.signal, timeoutMs: options.timeout, asTask: options.task === true });
    }
    await interrupt.interrupted;
    await close();
    return 0;
  } finally {
    interrupt.dispose();
    view.close();
  }
}

/**
 * `--call "[server:]tool [json]"`: the tool to call once connected, on the
 * named server or on every watched server.
 */
export function parseCallSpec(spec: string, servers: readonly string[]): CallSpec[] {
  const trimmed = spec.trim();
  const space = trimmed.search(/\s/);
  const head = space === -1 ? trimmed : trimmed.slice(0, space);
  const args = parseToolArgs(space === -1 ? undefined : trimmed.slice(space + 1));
  const colon = head.indexOf(':');
  const prefix = colon === -1 ? undefined : head.slice(0, colon);
  if (prefix !== undefined && servers.includes(prefix)) return [{ server: prefix, tool: head.slice(colon + 1), args }];
  if (head === '') throw new UsageError('--call needs a tool name: --call "tool {\\"arg\\": 1}"');
  return servers.map((server) => ({ server, tool: head, args }));
}
