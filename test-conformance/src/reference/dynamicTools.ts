import type { Server } from '@tidings/protocol';
import { z } from 'zod';

/** Tool names the referee accepts (SEP-986): 1–64 of `A–Z a–z 0–9 _ . / -`. */
const TOOL_NAME = z.string().regex(/^[A-Za-z0-9_./-]{1,64}$/, 'a tool name is 1-64 of A-Z a-z 0-9 _ . / -');

/**
 * Tools that change the tool list at run time, each change reaching clients
 * as `notifications/tools/list_changed`: `add_tool(name, description?)`
 * registers a tool that echoes its arguments (replacing any tool of that
 * name, which is a change too), `remove_tool(name)` removes any tool and
 * answers `true` or `false` (whether it existed). Plus `echo(message)`, which
 * answers its message, and `list_sessions(here?)`, the server's live
 * recipients as JSON (the ids `notify_session` takes): the cluster's, or with
 * `here` this node's only (where a session's home is).
 */
export function registerDynamicTools(server: Server): void {
  server.tool(
    {
      name: 'add_tool',
      description: 'Registers (or replaces) a tool that echoes its arguments; clients get tools/list_changed.',
      input: z.object({ name: TOOL_NAME, description: z.string().optional() }),
    },
    ({ name, description }) => {
      server.tool(
        { name, description: description ?? `Dynamic tool ${name}`, inputSchema: { type: 'object', properties: {}, additionalProperties: true } },
        (args) => `Dynamic tool '${name}' called with ${JSON.stringify(args)}`,
      );
      return `added ${name}`;
    },
  );

  server.tool(
    {
      name: 'remove_tool',
      description: 'Removes a tool; answers whether it existed. Clients get tools/list_changed.',
      input: z.object({ name: z.string() }),
    },
    ({ name }) => String(server.removeTool(name)),
  );

  server.tool(
    { name: 'echo', description: 'Answers its message.', input: z.object({ message: z.string() }) },
    ({ message }) => message,
  );

  server.tool(
    {
      name: 'list_sessions',
      description: 'Live recipients of server-initiated notifications (of every node in a cluster; with `here`, of this node only), as JSON.',
      input: z.object({ here: z.boolean().optional() }),
    },
    async ({ here }) =>
      JSON.stringify((here ? server.sessions() : await server.clusterSessions()).map((s) => ({ id: s.id, era: s.era, kind: s.kind, client: s.clientInfo?.name }))),
  );
}
