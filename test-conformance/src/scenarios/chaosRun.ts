import type { Era } from '@tidings/protocol';
import { afterEach, describe, it } from 'vitest';
import { ConformanceFailure } from '../assert.js';
import { writeExclusions, type Exclusion } from '../exclusions.js';
import { chaosSeed, randomFor, type Random } from './chaosSeed.js';

/** The chaos scenarios, by the id the matrix shows them under, with their titles. */
export const CHAOS_SCENARIOS = {
  'chaos-resume-request-stream': '1,000 progress notifications on a request stream cut 5 times arrive once each, in order, with the result',
  'chaos-resume-get-stream': '1,000 broadcasts on the GET stream cut 5 times arrive once each, in order',
  'chaos-cut-pending-call': 'a connection cut mid-call: pending calls reject promptly with ConnectionClosed or are re-issued, then calls work again',
  'chaos-cut-listen-stream': 'a listen stream cut mid-burst is re-issued: nothing duplicated or reordered, one subscription left',
} as const;

export type ChaosScenarioId = keyof typeof CHAOS_SCENARIOS;

/** What a chaos test gets. */
export interface ChaosContext {
  readonly era: Era;
  /** Seeded by the run's seed and this test's name. */
  readonly random: Random;
  /** Runs after the test, pass or fail, in reverse order of registration. */
  onCleanup(cleanup: () => void | Promise<void>): void;
}

/** One cell of a transport's chaos row: a scenario it runs in an era, or why it cannot. */
export type ChaosCell =
  | { readonly scenario: ChaosScenarioId; readonly era: Era; run(context: ChaosContext): Promise<void> }
  | { readonly scenario: ChaosScenarioId; readonly era: Era; readonly notApplicable: string };

/** A chaos test's hard limit; every wait inside has its own, shorter bound that says what hung. */
const TEST_TIMEOUT_MS = 30_000;

/**
 * Registers a transport's chaos cells as vitest tests under
 * `<transport> › <era>`, the rows of the conformance matrix. A cell that
 * cannot run is printed with its reason and recorded for the matrix, never
 * skipped. The run's seed is printed, and named in every failure with how to
 * replay it (`CHAOS_SEED=<seed>`).
 */
export function runChaos(transport: string, cells: readonly ChaosCell[]): void {
  const seed = chaosSeed();
  const cleanups: Array<() => void | Promise<void>> = [];
  console.info(`[chaos] ${transport}: seed ${seed} (CHAOS_SEED=${seed} replays this run's cuts)`);

  describe(transport, () => {
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) {
        try {
          await cleanup();
        } catch {
          // A failing cleanup must not hide the test's own outcome.
        }
      }
    });
    for (const era of ['legacy', 'modern'] as const) {
      const runnable = cells.filter((c) => c.era === era && 'run' in c);
      if (runnable.length === 0) continue;
      describe(era, () => {
        for (const cell of runnable) {
          if (!('run' in cell)) continue;
          it(`${cell.scenario}: ${CHAOS_SCENARIOS[cell.scenario]}`, { timeout: TEST_TIMEOUT_MS }, async () => {
            const random = randomFor(seed, `${transport}/${era}/${cell.scenario}`);
            try {
              await cell.run({ era, random, onCleanup: (cleanup) => void cleanups.push(cleanup) });
            } catch (error) {
              throw withSeed(error, seed);
            }
          });
        }
      });
    }
  });

  const excluded: Exclusion[] = cells.flatMap((c) => ('notApplicable' in c ? [{ transport, era: c.era, scenario: c.scenario, reason: c.notApplicable }] : []));
  // A file of its own: the transport's conformance file keeps `<transport>.json`.
  writeExclusions(`chaos-${transport}`, excluded);
  for (const e of excluded) console.info(`[chaos] ${e.transport} / ${e.era} / ${e.scenario}: not applicable — ${e.reason}`);
}

/** The failure, its message ending with the seed that replays it. */
function withSeed(error: unknown, seed: number): unknown {
  const note = `\n[chaos seed ${seed}: run with CHAOS_SEED=${seed} to replay these cuts]`;
  if (error instanceof Error) {
    error.message += note;
    return error;
  }
  return new ConformanceFailure(`${String(error)}${note}`);
}
