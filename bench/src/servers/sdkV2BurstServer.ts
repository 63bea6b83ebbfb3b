import { McpServer } from '@modelcontextprotocol/server';
import { BURST_TOOL, BurstArgsSchema, runBurst, type SendHook } from './burstTool.js';

/** An SDK v2 McpServer with the `burst` tool (a factory product: v2 builds one per request or connection). */
export function createSdkV2BurstServer(hook?: SendHook): McpServer {
  const mcp = new McpServer({ name: 'bench-sdk-v2', version: '1.0.0' }, { capabilities: {} });
  mcp.registerTool(BURST_TOOL, { inputSchema: BurstArgsSchema }, async (args, ctx) => {
    const token = ctx.mcpReq._meta?.progressToken;
    await runBurst(
      args,
      (progress, total) =>
        token === undefined ? Promise.resolve() : ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, progress, total } }),
      hook,
    );
    return { content: [{ type: 'text', text: `sent ${args.n}` }] };
  });
  return mcp;
}
