/**
 * Per-scenario timeout of every pairing in this directory tree. A scenario
 * takes a second or two; on a 2-core machine shared with other runs, child
 * processes and sockets can be many times slower, and slow must not read as
 * a failure. Every wait inside a scenario is bounded on its own, so this only
 * catches a scenario that hangs.
 */
export const SCENARIO_TIMEOUT_MS = 60_000;
