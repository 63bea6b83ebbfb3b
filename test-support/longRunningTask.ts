import type { Server } from '@tidings/protocol';
import { z } from 'zod';

/**
 * The tool of the FastMCP-based client documentation (seed 001), shared by
 * every package's tests: per step it emits the three list_changed, reports
 * progress `(i+1)/steps` with message `Step i+1/steps` and logs at debug;
 * `delay_ms` pauses after each step.
 */
export function registerLongRunningTask(server: Server): void {
  server.tool(
    {
      name: 'long_running_task',
      description: 'Execute a task with progress updates.',
      input: z.object({
        task_name: z.string(),
        steps: z.number().int().positive().default(5),
        delay_ms: z.number().int().min(0).default(0),
      }),
    },
    async ({ task_name, steps, delay_ms }, ctx) => {
      await ctx.info(`Starting: ${task_name}`);
      for (let i = 0; i < steps; i++) {
        void ctx.sendPromptListChanged();
        void ctx.sendResourceListChanged();
        void ctx.sendToolListChanged();
        await ctx.reportProgress((i + 1) / steps, 1, `Step ${i + 1}/${steps}`);
        await ctx.debug(`Completed step ${i + 1}`);
        if (delay_ms > 0) await new Promise((resolve) => setTimeout(resolve, delay_ms));
      }
      return `Task '${task_name}' completed`;
    },
  );
}
