import type { Server } from '@tidings/protocol';
import { z } from 'zod';
import { pause } from './pause.js';

/** Most events one burst sends, so a call cannot keep the server busy without bound. */
const MAX_BURST = 10_000;
/** Longest a held call waits for its connection to be cut before it answers anyway. */
const MAX_HOLD_MS = 30_000;

/** What became of the calls of one `chaos_progress_burst` key. */
interface KeyRecord {
  invocations: number;
  aborted: number;
  completed: number;
}

/**
 * Tools of the chaos scenarios (test-conformance/src/scenarios/chaos*.ts),
 * which cut connections while numbered events flow and then count what
 * arrived:
 *
 * - `chaos_progress_burst(count, key, hold_first = false)`: reports progress
 *   1…count of `count` with the message `event <i>` on the call's own stream,
 *   then answers `<key>: invocation <n>`, n counting the calls made with
 *   `key` (a resumed stream keeps n at 1; a re-issued request makes it 2).
 *   With `hold_first`, the first call of `key` then waits until cancelled (at
 *   most 30 s), so it is surely pending when its connection is cut.
 * - `chaos_broadcast_burst(count, method)`: broadcasts `method` with
 *   `{ n: i }` for i = 1…count, one after the other; answers the number of
 *   recipients the last one reached.
 * - `chaos_report(key)`: `{ invocations, aborted, completed }` of `key` as
 *   JSON: whether the server ended a call whose connection was cut.
 */
export function registerChaosTools(server: Server): void {
  const keys = new Map<string, KeyRecord>();

  server.tool(
    {
      name: 'chaos_progress_burst',
      description: 'Reports `count` numbered progress notifications, then answers which call of `key` this was.',
      input: z.object({ count: z.number().int().min(1).max(MAX_BURST), key: z.string().min(1).max(256), hold_first: z.boolean().default(false) }),
    },
    async ({ count, key, hold_first }, ctx) => {
      let record = keys.get(key);
      if (!record) keys.set(key, (record = { invocations: 0, aborted: 0, completed: 0 }));
      const invocation = ++record.invocations;
      try {
        for (let i = 1; i <= count; i++) await ctx.reportProgress(i, count, `event ${i}`);
        if (hold_first && invocation === 1) await pause(MAX_HOLD_MS, ctx.signal);
      } catch (error) {
        // The request's signal aborted: the client cancelled or its connection went away.
        if (ctx.signal.aborted) record.aborted++;
        throw error;
      }
      record.completed++;
      return `${key}: invocation ${invocation}`;
    },
  );

  server.tool(
    {
      name: 'chaos_broadcast_burst',
      description: 'Broadcasts `count` notifications `method` numbered `{ n: i }`; answers how many recipients the last reached.',
      input: z.object({ count: z.number().int().min(1).max(MAX_BURST), method: z.string().min(1).max(256) }),
    },
    async ({ count, method }) => {
      let reached = 0;
      for (let n = 1; n <= count; n++) reached = await server.broadcast(method, { n });
      return String(reached);
    },
  );

  server.tool(
    { name: 'chaos_report', description: 'What became of the chaos_progress_burst calls of `key`, as JSON.', input: z.object({ key: z.string() }) },
    ({ key }) => JSON.stringify(keys.get(key) ?? { invocations: 0, aborted: 0, completed: 0 }),
  );
}
