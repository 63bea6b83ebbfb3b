import type { RequestId, Server } from '@tidings/protocol';
import { pause } from './pause.js';

/**
 * Closes the HTTP connection carrying a legacy request's SSE stream while the
 * request goes on, so the client resumes with `Last-Event-ID`. The
 * Streamable HTTP adapter provides it (`handler.closeSseStream`); other
 * transports have none. Returns whether a stream was closed.
 */
export type CloseSseStream = (sessionId: string, requestId: RequestId) => boolean;

/**
 * The referee's tools that send messages while they run: logs, progress, a
 * stream closed mid-call, and the list-change triggers of 2026-07-28's
 * `server-stateless` scenario.
 *
 * - `test_tool_with_logging` (`tools-call-with-logging`): three info logs
 *   ~50 ms apart, then a text result.
 * - `test_tool_with_progress` (`tools-call-with-progress`): progress 0, 50
 *   and 100 of 100, ~50 ms apart.
 * - `test_reconnection` (`server-sse-polling`, SEP-1699): closes its own SSE
 *   stream through `closeSseStream`, waits 100 ms, answers; the answer
 *   reaches a client that resumes the stream.
 * - `test_logging_tool`: logs at info; on a modern request without
 *   `logLevel` nothing may be sent (`sep-2575-server-no-log-without-loglevel`).
 * - `test_streaming_elicitation`: reports progress and answers; its stream
 *   must carry no server→client request (`…-no-independent-requests-on-stream`).
 * - `test_trigger_tool_change` / `test_trigger_prompt_change`: emit
 *   tools/prompts list_changed to every listener entitled to them.
 */
export function registerRefereeStreamTools(server: Server, closeSseStream: CloseSseStream | undefined): void {
  server.tool(
    { name: 'test_tool_with_logging', description: 'Tests tool that emits log messages during execution' },
    async (_args, ctx) => {
      await ctx.info('Tool execution started');
      await pause(50, ctx.signal);
      await ctx.info('Tool processing data');
      await pause(50, ctx.signal);
      await ctx.info('Tool execution completed');
      return 'Tool with logging executed successfully';
    },
  );

  server.tool(
    { name: 'test_tool_with_progress', description: 'Tests tool that reports progress notifications' },
    async (_args, ctx) => {
      for (const [i, progress] of [0, 50, 100].entries()) {
        if (i > 0) await pause(50, ctx.signal);
        await ctx.reportProgress(progress, 100, `Completed step ${progress} of 100`);
      }
      return 'Progress reported: 0, 50, 100 of 100';
    },
  );

  server.tool(
    {
      name: 'test_reconnection',
      description:
        'Tests SSE stream disconnection and client reconnection (SEP-1699): the server closes the stream mid-call and sends the result after the client reconnects.',
    },
    async (_args, ctx) => {
      const sessionId = ctx.peer.sessionId;
      if (sessionId !== undefined) closeSseStream?.(sessionId, ctx.requestId);
      await pause(100, ctx.signal);
      return 'Reconnection test completed successfully. If you received this, the client properly reconnected after stream closure.';
    },
  );

  server.tool({ name: 'test_logging_tool', description: 'Diagnostic logging validator tool' }, async (_args, ctx) => {
    await ctx.info('Diagnostic trace logging activated');
    return 'Logging evaluated';
  });

  server.tool(
    { name: 'test_streaming_elicitation', description: 'Diagnostic tool validating response progress streams' },
    async (_args, ctx) => {
      await ctx.reportProgress(50, 100, 'Streaming');
      return 'Streaming complete';
    },
  );

  server.tool(
    { name: 'test_trigger_tool_change', description: 'Emits notifications/tools/list_changed to every entitled listener' },
    async (_args, ctx) => {
      await ctx.sendToolListChanged();
      return 'Mutation triggered';
    },
  );

  server.tool(
    { name: 'test_trigger_prompt_change', description: 'Emits notifications/prompts/list_changed to every entitled listener' },
    async (_args, ctx) => {
      await ctx.sendPromptListChanged();
      return 'Mutation triggered';
    },
  );
}
