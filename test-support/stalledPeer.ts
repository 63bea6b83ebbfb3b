import { expect } from 'vitest';
import type { Client, Diagnostic, Server } from '@tidings/protocol';
import { waitFor } from './waitFor.js';

/** What every stalled-peer test sends: 1,000 awaited broadcasts of 10 KiB (PROTOCOL.md §slow-consumers). */
export const BROADCASTS = 1_000;
/** The custom method broadcast; a modern listener names it in its filter. */
export const TICK = 'custom/tick';
const PAD = 'x'.repeat(10 * 1024);
/**
 * The process (server and in-process peers) may grow its heap by at most
 * this much while the server sends 10 MB to one healthy and one stalled
 * peer: the stalled one's queue is bounded, the healthy one drains, and an
 * event store shares each broadcast's text. Measured: 15–25 MiB.
 */
export const HEAP_BOUND_BYTES = 64 * 1024 * 1024;

/** The outcome of {@link awaitEveryBroadcast}. */
export interface BroadcastRun {
  /** What each `await server.broadcast(...)` resolved to, in order. */
  readonly reached: readonly number[];
  /** The largest heap growth seen, sampled every 50 broadcasts, in bytes. */
  readonly peakHeapGrowth: number;
}

/**
 * Awaits {@link BROADCASTS} broadcasts one after the other, as the README's
 * `await server.broadcast(...)` does. Before the fix a stalled peer held the
 * first one that found its socket full forever; here each must resolve.
 */
export async function awaitEveryBroadcast(server: Server): Promise<BroadcastRun> {
  const reached: number[] = [];
  const baseline = process.memoryUsage().heapUsed;
  let peakHeapGrowth = 0;
  for (let seq = 0; seq < BROADCASTS; seq++) {
    reached.push(await server.broadcast(TICK, { seq, pad: PAD }));
    if (seq % 50 === 49) peakHeapGrowth = Math.max(peakHeapGrowth, process.memoryUsage().heapUsed - baseline);
  }
  return { reached, peakHeapGrowth };
}

/** Records the sequence number of every tick a Tidings client hears, in arrival order. */
export function ticksHeardBy(client: Pick<Client, 'on'>): number[] {
  const seqs: number[] = [];
  client.on(TICK, (params) => void seqs.push((params as { seq: number }).seq));
  return seqs;
}

/** Checks that the healthy peer got every broadcast once, in order (`seqs` grows as messages arrive). */
export async function expectAllInOrder(seqs: readonly number[]): Promise<void> {
  await waitFor(() => expect(seqs.length).toBeGreaterThanOrEqual(BROADCASTS), 60_000);
  expect(seqs).toEqual(Array.from({ length: BROADCASTS }, (_, i) => i));
}

/** The sequence number of a tick as a raw peer reads it off the wire, or undefined for anything else. */
export function tickSeq(message: unknown): number | undefined {
  const m = message as { method?: unknown; params?: { seq?: unknown } } | undefined;
  return m?.method === TICK && typeof m.params?.seq === 'number' ? m.params.seq : undefined;
}

/** Collects the server's `delivery-failed` diagnostics (set as its `onDiagnostic`). */
export function deliveryFailures(): { readonly hook: (d: Diagnostic) => void; readonly recipients: () => Set<string> } {
  const seen: string[] = [];
  return {
    hook: (d) => {
      if (d.kind === 'delivery-failed') seen.push(d.recipientId);
    },
    recipients: () => new Set(seen),
  };
}

/** The shared checks of one run: every broadcast resolved, reaching the healthy peer, with the heap bounded. */
export function expectRunBounded(run: BroadcastRun): void {
  expect(run.reached).toHaveLength(BROADCASTS);
  // The healthy peer is reached every time; the stalled one until the policy handles it.
  expect(Math.min(...run.reached)).toBeGreaterThanOrEqual(1);
  expect(run.peakHeapGrowth).toBeLessThan(HEAP_BOUND_BYTES);
}
