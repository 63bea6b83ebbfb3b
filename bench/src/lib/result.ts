/** Implementations compared side by side. */
export type Impl = 'raw' | 'tidings' | 'tidings-legacy' | 'sdk-v1' | 'sdk-v2';

/** What one case script prints (as `RESULT <json>`) and the runner tabulates. */
export interface CaseResult {
  readonly impl: Impl | string;
  /** Figures by name (`rate`, `lost`, `p50Ms`, …). */
  readonly metrics: Record<string, number>;
  /** Facts worth a line under the table (a loss, a skipped side). */
  readonly notes?: readonly string[];
}

const PREFIX = 'RESULT ';

/** Prints the result line the runner looks for. */
export function printResult(result: CaseResult): void {
  process.stdout.write(`${PREFIX}${JSON.stringify(result)}\n`);
}

/** Finds the result line in a case's stdout. */
export function parseResult(stdout: string): CaseResult | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith(PREFIX));
  return line ? (JSON.parse(line.slice(PREFIX.length)) as CaseResult) : undefined;
}

/** Runs a case's main function, prints its result, and sets the exit code. */
export function runCase(main: () => Promise<CaseResult>): void {
  main().then(
    (result) => {
      printResult(result);
      // Lingering sockets of a closed SDK client must not hold the case open: the runner waits for exit.
      setTimeout(() => process.exit(0), 200).unref();
    },
    (error: unknown) => {
      process.stderr.write(`case failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
