import { relative } from 'node:path';
import type { Reporter, SerializedError, TestCase, TestModule, TestRunEndReason, Vitest } from 'vitest/node';
import { readExclusions } from './exclusions.js';

type Cell = { readonly state: 'pass' | 'FAIL' | 'n/a'; readonly reason?: string };

const NOT_CARRIED = /^the pairing does not carry the (\w+) era$/;

/**
 * Prints the conformance matrix after a run: one row per pairing and era, one
 * column per scenario (numbered, with a legend), each cell pass, FAIL, or
 * not applicable with a numbered reason. Then, as the very last line, after
 * the summary of the reporters listed before it, one verdict over every test
 * of the run, matrix or not: `conformance: 387 passed, 0 failed`, or the
 * failures named above a line that says FAILED. Used by `pnpm conformance`
 * (`--reporter=default --reporter=<this>`: list it last).
 */
export default class MatrixReporter implements Reporter {
  private vitest: Vitest | undefined;
  private verdict: string[] | undefined;

  /** Called by vitest once, before the run: the logger the default reporter writes through. */
  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  /** Called by vitest when every test ran: prints the matrix and settles the verdict. */
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): void {
    // vitest calls every reporter's onTestRunEnd, then every reporter's onFinished, where the
    // default reporter prints its summary: the verdict waits for onFinished to come after it.
    this.verdict = verdictLines(testModules, unhandledErrors.length, reason);
    this.printMatrix(testModules);
  }

  /** Called by vitest after onTestRunEnd, on each reporter in the order listed: prints the verdict. */
  onFinished(): void {
    if (this.verdict) this.write(this.verdict);
    this.verdict = undefined;
  }

  private write(lines: readonly string[]): void {
    const text = lines.join('\n');
    if (this.vitest) this.vitest.logger.log(text);
    else process.stdout.write(`${text}\n`);
  }

  private printMatrix(testModules: ReadonlyArray<TestModule>): void {
    const cells = new Map<string, Cell>();
    const scenarios: string[] = [];
    const rows: string[] = [];
    const remember = (list: string[], value: string): void => {
      if (!list.includes(value)) list.push(value);
    };

    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const path = suitePath(test);
        if (path.length < 2) continue;
        const [transport, era] = path.slice(-2) as [string, string];
        const scenario = test.name.split(':')[0]!;
        const row = `${transport} (${era})`;
        remember(scenarios, scenario);
        remember(rows, row);
        cells.set(`${row}|${scenario}`, { state: test.result().state === 'passed' ? 'pass' : 'FAIL' });
      }
    }
    // Exclusions of pairings that did not run in this invocation are stale: leave them out.
    const ran = new Set(rows.map((r) => r.slice(0, r.lastIndexOf(' ('))));
    const notCarried: string[] = [];
    for (const e of readExclusions()) {
      if (!ran.has(e.transport)) continue;
      const row = `${e.transport} (${e.era})`;
      if (NOT_CARRIED.test(e.reason) && !rows.includes(row)) {
        remember(notCarried, row);
        continue;
      }
      remember(scenarios, e.scenario);
      cells.set(`${row}|${e.scenario}`, { state: 'n/a', reason: e.reason });
    }
    if (rows.length === 0) return;
    rows.sort(byPairing);

    const reasons = new Map<string, number>();
    let failures = 0;
    const width = Math.max(...rows.map((r) => r.length));
    const columns = scenarios.map((_, i) => String(i + 1));
    const cellWidth = 5;
    const lines = [`${'pairing (era)'.padEnd(width)} | ${columns.map((c) => c.padEnd(cellWidth)).join(' ')}`];
    lines.push('-'.repeat(width + 3 + columns.length * (cellWidth + 1)));
    for (const row of rows) {
      const text = scenarios.map((scenario) => {
        const cell = cells.get(`${row}|${scenario}`);
        if (!cell) return ''.padEnd(cellWidth);
        if (cell.state === 'FAIL') failures++;
        if (cell.state !== 'n/a') return cell.state.padEnd(cellWidth);
        if (!reasons.has(cell.reason!)) reasons.set(cell.reason!, reasons.size + 1);
        return `-${reasons.get(cell.reason!)}`.padEnd(cellWidth);
      });
      lines.push(`${row.padEnd(width)} | ${text.join(' ')}`);
    }
    lines.push('', 'scenarios:');
    scenarios.forEach((s, i) => lines.push(`  ${String(i + 1).padStart(2)} ${s}`));
    lines.push('', 'not applicable (-N):');
    for (const [reason, n] of reasons) lines.push(`  -${n} ${reason}`);
    if (notCarried.length > 0) lines.push(`  not carried at all: ${notCarried.sort(byPairing).join(', ')}`);
    // Only the cells: the verdict over the whole run is the last line, after vitest's summary.
    lines.push('', `matrix: ${failures === 0 ? 'no failing cell' : `${failures} failing cell(s)`}`);
    this.write(['', ...lines]);
  }
}

/** Lines named one by one before the verdict; more are counted, not listed. */
const MAX_LISTED = 20;

/**
 * The verdict over every test of the run: the failures (tests, files that did
 * not load, errors outside any test) listed, then one line that ends the run.
 */
function verdictLines(testModules: ReadonlyArray<TestModule>, unhandledErrors: number, reason: TestRunEndReason): string[] {
  const failed: string[] = [];
  const counts = { passed: 0, failed: 0, skipped: 0, notRun: 0 };
  let brokenFiles = 0;
  for (const module of testModules) {
    let tests = 0;
    let failedTests = 0;
    for (const test of module.children.allTests()) {
      tests++;
      const state = test.result().state;
      if (state === 'passed') counts.passed++;
      else if (state === 'skipped') counts.skipped++;
      else if (state === 'pending') counts.notRun++;
      else {
        failedTests++;
        failed.push(`  failed: ${test.fullName} (${relative(process.cwd(), module.moduleId)})`);
      }
    }
    counts.failed += failedTests;
    // A file that did not load, or failed in a hook outside any test, has no failed test to show it.
    if (module.state() === 'failed' && failedTests === 0) {
      brokenFiles++;
      failed.push(`  failed: ${relative(process.cwd(), module.moduleId)} (${tests === 0 ? 'did not load' : 'outside its tests'})`);
    }
  }
  const parts = [`${counts.passed} passed`, `${counts.failed} failed`];
  if (counts.skipped > 0) parts.push(`${counts.skipped} skipped`);
  if (counts.notRun > 0) parts.push(`${counts.notRun} not run`);
  if (brokenFiles > 0) parts.push(`${brokenFiles} broken file(s)`);
  if (unhandledErrors > 0) parts.push(`${unhandledErrors} error(s) outside tests`);
  if (reason === 'interrupted') parts.push('run interrupted');
  const ok = reason === 'passed' && counts.failed + counts.notRun + brokenFiles + unhandledErrors === 0 && counts.passed > 0;
  const listed = failed.length > MAX_LISTED ? [...failed.slice(0, MAX_LISTED), `  … and ${failed.length - MAX_LISTED} more`] : failed;
  return [...listed, `conformance: ${ok ? '' : 'FAILED: '}${parts.join(', ')}`];
}

/** Tidings transports first, in a fixed order, then cross-implementation pairings. */
const ORDER = ['memory', 'stdio', 'websocket', 'sse', 'streamable-http'];
function byPairing(a: string, b: string): number {
  const rank = (r: string): number => {
    const i = ORDER.indexOf(r.slice(0, r.lastIndexOf(' (')));
    return i === -1 ? ORDER.length : i;
  };
  return rank(a) - rank(b) || a.localeCompare(b);
}

function suitePath(test: TestCase): string[] {
  const names: string[] = [];
  let parent = test.parent;
  while (parent.type === 'suite') {
    names.unshift(parent.name);
    parent = parent.parent;
  }
  return names;
}
