import type { CallToolResult, Client, RequestOptions } from '@tidings/protocol';
import { ProtocolError } from '@tidings/protocol';
import { timestamp, type EventSink } from './watchEvent.js';

/** One tool call: which server, which tool, with what. */
export interface CallSpec {
  readonly server: string;
  readonly tool: string;
  readonly args: Record<string, unknown> | undefined;
}

/** Options of {@link runCall}. */
export interface RunCallOptions {
  /** Aborting cancels the call (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** Milliseconds without a response or progress before the call fails. @default 60_000 */
  readonly timeoutMs?: number;
  /**
   * Ask for a task (`--task`): the server decides; a task's states arrive as
   * task notifications and the result once it is over (PROTOCOL.md §tasks).
   */
  readonly asTask?: boolean;
}

let calls = 0;

/**
 * Calls a tool with a progress token of its own, turning every progress
 * update into a `progress` event, then its result into a `result` event (or
 * its failure into an `error` one). Resolves with the result, or undefined
 * when the call failed; never rejects.
 */
export async function runCall(client: Client, spec: CallSpec, emit: EventSink, options: RunCallOptions = {}): Promise<CallToolResult | undefined> {
  const { server, tool } = spec;
  const token = `tidings-${process.pid}-${++calls}`;
  const started = Date.now();
  try {
    const callOptions: RequestOptions = {
      progressToken: token,
      signal: options.signal,
      timeout: options.timeoutMs,
      onProgress: ({ progress, total, message }) =>
        emit({ type: 'progress', time: timestamp(), server, tool, token, progress, ...(total !== undefined && { total }), ...(message !== undefined && { message }) }),
    };
    // Aborting the signal after the task was made cancels the task (Ctrl-C).
    const result = options.asTask
      ? await (await client.callTool(tool, spec.args, { ...callOptions, task: true })).result
      : await client.callTool(tool, spec.args, callOptions);
    emit({
      type: 'result',
      time: timestamp(),
      server,
      tool,
      token,
      isError: result.isError === true,
      content: result.content,
      ...(result.structuredContent !== undefined && { structuredContent: result.structuredContent as Record<string, unknown> }),
      durationMs: Date.now() - started,
    });
    return result;
  } catch (error) {
    const code = error instanceof ProtocolError ? error.code : undefined;
    emit({ type: 'error', time: timestamp(), server, tool, token, ...(code && { code }), message: (error as Error).message });
    return undefined;
  }
}
