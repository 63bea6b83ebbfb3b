import type { Server } from '@tidings/protocol';
import { z } from 'zod';
import { pause } from './pause.js';

/** Longest run `long_running_task` accepts, so a call cannot keep the server busy without bound. */
const MAX_STEPS = 10_000;
const MAX_DELAY_MS = 60_000;

/**
 * `long_running_task(task_name, steps = 5, delay_ms = 0)` (DESIGN §4): for
 * each step it waits `delay_ms`, emits the three list_changed notifications
 * (merged per recipient by the core), reports progress `(i+1)/steps` of 1
 * with the message `Step i+1/steps`, and logs once at debug. Answers
 * `Task '<task_name>' completed`. Cancelling the call stops it between steps.
 */
export function registerLongRunningTask(server: Server): void {
  server.tool(
    {
      name: 'long_running_task',
      description: 'Runs a task in steps: per step progress, the three list_changed notifications and a debug log.',
      input: z.object({
        task_name: z.string(),
        steps: z.number().int().min(1).max(MAX_STEPS).default(5),
        delay_ms: z.number().int().min(0).max(MAX_DELAY_MS).default(0),
      }),
    },
    async ({ task_name, steps, delay_ms }, ctx) => {
      for (let i = 0; i < steps; i++) {
        await pause(delay_ms, ctx.signal);
        // Not awaited: each resolves only when the merged notification went out, a window later.
        for (const changed of [ctx.sendPromptListChanged(), ctx.sendResourceListChanged(), ctx.sendToolListChanged()]) {
          changed.catch(() => 0);
        }
        await ctx.reportProgress((i + 1) / steps, 1, `Step ${i + 1}/${steps}`);
        await ctx.debug(`Task '${task_name}': completed step ${i + 1}/${steps}`);
      }
      return `Task '${task_name}' completed`;
    },
  );
}
