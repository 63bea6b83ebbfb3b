import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A matrix cell the suite did not run, and why. */
export interface Exclusion {
  readonly transport: string;
  readonly era: string;
  readonly scenario: string;
  readonly reason: string;
}

/**
 * Where runConformance leaves the cells it excluded, for the matrix reporter
 * (test files run in workers; the reporter runs in the main process).
 */
export function exclusionsDir(): string {
  return process.env.TIDINGS_CONFORMANCE_DIR ?? join(process.cwd(), 'node_modules', '.tidings-conformance');
}

/** Records the exclusions of one transport. */
export function writeExclusions(transport: string, exclusions: readonly Exclusion[]): void {
  const dir = exclusionsDir();
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${encodeURIComponent(transport)}.json`), JSON.stringify(exclusions));
}

/** Reads every recorded exclusion. */
export function readExclusions(): Exclusion[] {
  let files: string[];
  try {
    files = readdirSync(exclusionsDir()).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return files.flatMap((f) => JSON.parse(readFileSync(join(exclusionsDir(), f), 'utf8')) as Exclusion[]);
}
