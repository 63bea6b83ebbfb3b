import { createServer, defineNotification, type Server, type ServerOptions } from '@tidings/protocol';
import { z } from 'zod';
import { registerLongRunningTask } from '../../../../test-support/longRunningTask.js';

/** The custom notification the broadcast scenarios send. */
export const StatusUpdate = defineNotification('custom/status-update', z.object({ status: z.string() }));

/**
 * The server of the FastMCP client documentation (long_running_task), plus a
 * tool that logs at four levels, two watchable resources and a prompt, so
 * every list kind exists.
 */
export function createDemoServer(options: ServerOptions = {}): Server {
  const server = createServer({ name: 'PrimitiveServer', version: '1.0.0' }, { listChangedDebounceMs: 1, ...options });
  registerLongRunningTask(server);
  server.tool({ name: 'log_levels', description: 'Logs once at debug, info, warning and error.' }, async (_args, ctx) => {
    await ctx.debug('debug message');
    await ctx.info('info message');
    await ctx.warning('warning message');
    await ctx.error('error message');
    return 'logged';
  });
  server.resource({ uri: 'test://watched', name: 'watched' }, () => 'watched content');
  server.resource({ uri: 'test://other', name: 'other' }, () => 'other content');
  server.prompt({ name: 'greeting', description: 'Say hello' }, () => 'Hello!');
  return server;
}
