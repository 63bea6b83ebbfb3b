import { ProtocolError, type ElicitFormRequestParams, type ElicitResult, type Server } from '@tidings/protocol';
import { z } from 'zod';
import { pause } from './pause.js';

type Form = ElicitFormRequestParams['requestedSchema'];

const NAME_FORM: Form = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
const CONFIRM_FORM: Form = { type: 'object', properties: { confirm: { type: 'boolean' } }, required: ['confirm'] };

/** Longest `slow_compute` accepts, so a call cannot keep a task alive without bound. */
const MAX_SECONDS = 600;

const field = (result: ElicitResult, name: string): string => String(result.content?.[name] ?? `(${result.action})`);

/**
 * The tasks fixtures of referee 0.2.0-alpha.12 (`tasks-*`, SEP-2663), written
 * as any Tidings user would: a tool declares `execution.taskSupport` and hands
 * its slow part to `ctx.runAsTask`. A modern client that declared the tasks
 * extension gets a task at once; any other client gets the result inline
 * (or −32021 from a `required` tool).
 */
export function registerRefereeTaskTools(server: Server): void {
  server.tool(
    { name: 'greet', description: 'Greets at once; never a task', input: z.object({ name: z.string() }) },
    ({ name }) => `Hello, ${name}!`,
  );

  server.tool(
    {
      name: 'slow_compute',
      description: 'Sleeps `seconds` then answers; a task when the client declared the tasks extension',
      input: z.object({ seconds: z.number().min(0).max(MAX_SECONDS), label: z.string().default('compute') }),
      execution: { taskSupport: 'optional' },
    },
    ({ seconds, label }, ctx) =>
      ctx.runAsTask(async (task) => {
        // Cancelling the task aborts the pause: the task stays cancelled.
        await pause(seconds * 1000, task.signal);
        return `Computed ${label} after ${seconds}s`;
      }),
  );

  server.tool(
    { name: 'failing_job', description: 'Only runs as a task; ends with a tool error', execution: { taskSupport: 'required' } },
    (_args, ctx) =>
      ctx.runAsTask(async (task) => {
        await pause(100, task.signal);
        return { content: [{ type: 'text', text: 'The job failed: nothing to do' }], isError: true };
      }),
  );

  server.tool(
    { name: 'protocol_error_job', description: 'A task whose work fails with a JSON-RPC error', execution: { taskSupport: 'optional' } },
    (_args, ctx) =>
      ctx.runAsTask(async () => {
        throw new ProtocolError('InternalError', 'The job hit a protocol-level failure');
      }),
  );

  server.tool(
    {
      name: 'confirm_delete',
      description: 'Asks the user to confirm, from inside the task',
      input: z.object({ filename: z.string() }),
      execution: { taskSupport: 'optional' },
    },
    ({ filename }, ctx) =>
      ctx.runAsTask(async (task) => {
        const answer = await task.elicit({ message: `Delete ${filename}?`, requestedSchema: CONFIRM_FORM }, { key: 'confirm_delete' });
        return answer.action === 'accept' && answer.content?.confirm === true ? `Deleted ${filename}` : `Kept ${filename}`;
      }),
  );

  server.tool(
    { name: 'multi_input', description: 'Asks for two inputs at once, from inside the task', execution: { taskSupport: 'optional' } },
    (_args, ctx) =>
      ctx.runAsTask(async (task) => {
        const [first, second] = await Promise.all([
          task.elicit({ message: 'First name?', requestedSchema: NAME_FORM }, { key: 'first' }),
          task.elicit({ message: 'Second name?', requestedSchema: NAME_FORM }, { key: 'second' }),
        ]);
        return `Got ${field(first, 'name')} and ${field(second, 'name')}`;
      }),
  );

  server.tool(
    {
      name: 'test_tool_with_task',
      description: 'Asks for a name with a multi round-trip request, then goes on as a task',
      execution: { taskSupport: 'required' },
    },
    async (_args, ctx) => {
      // Before the task: a multi round-trip request of tools/call itself (ext-tasks §Task Creation).
      const person = await ctx.elicit({ message: 'What is your name?', requestedSchema: NAME_FORM }, { key: 'user_name' });
      return ctx.runAsTask(async () => `Hello, ${field(person, 'name')}!`);
    },
  );
}
