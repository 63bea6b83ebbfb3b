import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { readExclusions } from './exclusions.js';

type Cell = { readonly state: 'pass' | 'FAIL' | 'n/a'; readonly reason?: string };

const NOT_CARRIED = /^the pairing does not carry the (\w+) era$/;

/**
 * Prints the conformance matrix after a run: one row per pairing and era, one
 * column per scenario (numbered, with a legend), each cell pass, FAIL, or
 * not applicable with a numbered reason. Used by `pnpm conformance`.
 */
export default class MatrixReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
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
    lines.push('', `conformance: ${failures === 0 ? 'no failing cell' : `${failures} failing cell(s)`}`);
    process.stdout.write(`\n${lines.join('\n')}\n`);
  }
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
