import type { Server } from '@tidings/protocol';
import { z } from 'zod';

/** A custom or MCP notification method, e.g. `custom/hello` or `notifications/message`. */
const METHOD = z.string().min(1).max(256);
const PARAMS = z.record(z.string(), z.unknown()).optional();

/**
 * Tools that drive the server-wide notification API from the wire, so a test
 * in another process (or another implementation's client) can exercise it:
 * `touch_resource(uri)` → `server.resourceUpdated(uri)`, answering how many
 * subscribers it reached; `broadcast(method, params?)` → `server.broadcast`,
 * answering how many recipients it reached; `notify_session(session_id,
 * method, params?)` → `server.notify`, answering `true` when delivered and
 * `false` when the id is unknown, closed or not entitled to that message.
 * Answers are plain text, the same as the scenario suite's tools.
 */
export function registerNotifyTools(server: Server): void {
  server.tool(
    {
      name: 'touch_resource',
      description: 'Emits notifications/resources/updated for a URI; answers how many subscribers it reached.',
      input: z.object({ uri: z.string() }),
    },
    async ({ uri }) => String(await server.resourceUpdated(uri)),
  );

  server.tool(
    {
      name: 'broadcast',
      description: 'Sends a notification to every entitled recipient; answers how many it reached.',
      input: z.object({ method: METHOD, params: PARAMS }),
    },
    async ({ method, params }) => String(await server.broadcast(method, params)),
  );

  server.tool(
    {
      name: 'notify_session',
      description: 'Sends a notification to one recipient (see list_sessions); answers whether it was delivered.',
      input: z.object({ session_id: z.string(), method: METHOD, params: PARAMS }),
    },
    async ({ session_id, method, params }) => String(await server.notify(session_id, method, params)),
  );
}
