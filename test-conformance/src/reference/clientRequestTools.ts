import type { Server } from '@tidings/protocol';
import { z } from 'zod';
import { sampledText } from './sampledText.js';

/**
 * Our tools that ask the client something (legacy sessions whose client
 * declared the capability): `list_roots` answers the client's roots as JSON
 * (`ctx.listRoots()`); `slow_sampling(prompt?, heartbeat_ms?)` asks the
 * client to sample and, however long the client takes, sends the caller
 * nothing but progress heartbeats every `heartbeat_ms` until it answers
 * (`ctx.sample` with `heartbeatMs`), then answers `Sampled: <text>`.
 */
export function registerClientRequestTools(server: Server): void {
  server.tool({ name: 'list_roots', description: "Asks the client for its roots; answers them as JSON." }, async (_args, ctx) =>
    JSON.stringify(await ctx.listRoots()),
  );

  server.tool(
    {
      name: 'slow_sampling',
      description: 'Asks the client to sample, sending only progress heartbeats until it answers.',
      input: z.object({
        prompt: z.string().default('Say something'),
        heartbeat_ms: z.number().int().min(1).max(60_000).default(1000),
      }),
    },
    async ({ prompt, heartbeat_ms }, ctx) => {
      const result = await ctx.sample(
        { messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 100 },
        { heartbeatMs: heartbeat_ms },
      );
      return `Sampled: ${sampledText(result)}`;
    },
  );
}
