import { z } from 'zod';
import { sleep } from '../lib/stats.js';

/** Arguments of the `burst` tool every implementation serves. */
export interface BurstArgs {
  /** Progress notifications to send, numbered 1..n. */
  readonly n: number;
  /** Pause between two notifications (paced latency); 0 sends back to back. */
  readonly paceMs?: number | undefined;
  /** Wait after the last notification before returning (shows whether notifications leave before the result). */
  readonly holdMs?: number | undefined;
}

/** Zod shape of {@link BurstArgs} (SDK v1 takes the raw shape, Tidings and SDK v2 the object). */
export const burstShape = {
  n: z.number().int().nonnegative(),
  paceMs: z.number().nonnegative().optional(),
  holdMs: z.number().nonnegative().optional(),
};

/** The same arguments as a zod object. */
export const BurstArgsSchema = z.object(burstShape);

/**
 * Called just before notification `progress` is handed to the library (latency).
 * `flush`, when present, runs once the burst is done and before the tool returns:
 * a server in another process (stdio) hands its send times over there, off the timed path.
 */
export interface SendHook {
  (progress: number): void;
  flush?(): void;
}

/** Name of the tool. */
export const BURST_TOOL = 'burst';

/**
 * The workload, identical for every implementation: `send(i, n)` for i = 1..n,
 * awaiting each send as a tool author would (the library's backpressure), then
 * an optional hold before the tool returns.
 */
export async function runBurst(args: BurstArgs, send: (progress: number, total: number) => Promise<unknown>, hook?: SendHook): Promise<void> {
  const pace = args.paceMs ?? 0;
  for (let i = 1; i <= args.n; i++) {
    hook?.(i);
    await send(i, args.n);
    if (pace > 0) await sleep(pace);
  }
  if ((args.holdMs ?? 0) > 0) await sleep(args.holdMs!);
  hook?.flush?.();
}

/** The JSON-RPC text of progress notification `i` (what the raw baselines write). */
export function progressLine(token: string | number, progress: number, total: number): string {
  return JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress, total } });
}

/** The JSON-RPC text of the tool result (what the raw baselines write last). */
export function resultLine(id: string | number, n: number): string {
  return JSON.stringify({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: `sent ${n}` }] } });
}
