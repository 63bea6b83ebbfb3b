import { randomInt } from 'node:crypto';

/** A seeded source of numbers: the same seed gives the same cuts. */
export interface Random {
  /** The seed it started from. */
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max). */
  int(min: number, max: number): number;
  /** One of `items`. */
  pick<T>(items: readonly T[]): T;
}

/**
 * The seed of this run: `CHAOS_SEED` when set (to replay a failure, whose
 * message names it), else a fresh one per run, so each run tries new cut
 * points. Read once per test file.
 */
export function chaosSeed(): number {
  const given = process.env.CHAOS_SEED;
  if (given === undefined || given === '') return randomInt(2 ** 31);
  const seed = Number(given);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`CHAOS_SEED must be a non-negative integer, got ${JSON.stringify(given)}`);
  return seed;
}

/**
 * The generator of one test: seeded by the run's seed and the test's name, so
 * adding or reordering tests does not move the cuts of the others.
 */
export function randomFor(seed: number, testName: string): Random {
  // FNV-1a over the name, mixed with the seed.
  let hash = 0x811c9dc5 ^ seed;
  for (let i = 0; i < testName.length; i++) hash = Math.imul(hash ^ testName.charCodeAt(i), 0x01000193);
  return createRandom(hash >>> 0, seed);
}

function createRandom(state: number, seed: number): Random {
  // mulberry32: small, fast, and good enough to spread cut points.
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
  };
}

/** `count` distinct integers drawn from [from, to), ascending. */
export function cutOffsets(random: Random, count: number, from: number, to: number): number[] {
  if (to - from < count) throw new RangeError(`cannot draw ${count} distinct offsets from [${from}, ${to})`);
  const offsets = new Set<number>();
  while (offsets.size < count) offsets.add(random.int(from, to));
  return [...offsets].sort((a, b) => a - b);
}
