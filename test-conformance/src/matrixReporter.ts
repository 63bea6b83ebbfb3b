import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { readExclusions } from './exclusions.js';

type Cell = { readonly state: 'pass' | 'fail' | 'n/a'; readonly reason?: string };

/**
 * Prints the conformance matrix (scenario × transport × era) after a run:
 * pass, fail, or not applicable with its reason. Used by `pnpm conformance`.
 */
export default class MatrixReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const cells = new Map<string, Cell>();
    const scenarios: string[] = [];
    const columns: string[] = [];
    const remember = (list: string[], value: string): void => {
      if (!list.includes(value)) list.push(value);
    };

    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const path = suitePath(test);
        if (path.length < 2) continue;
        const [transport, era] = path.slice(-2) as [string, string];
        const scenario = test.name.split(':')[0]!;
        const column = `${transport}/${era}`;
        remember(scenarios, scenario);
        remember(columns, column);
        const state = test.result().state;
        cells.set(`${scenario}|${column}`, { state: state === 'passed' ? 'pass' : 'fail' });
      }
    }
    // Exclusions of transports that did not run in this invocation are stale: leave them out.
    const ran = new Set(columns.map((c) => c.slice(0, c.lastIndexOf('/'))));
    for (const e of readExclusions()) {
      if (!ran.has(e.transport)) continue;
      const column = `${e.transport}/${e.era}`;
      remember(columns, column);
      remember(scenarios, e.scenario);
      cells.set(`${e.scenario}|${column}`, { state: 'n/a', reason: e.reason });
    }
    if (columns.length === 0) return;

    const width = Math.max(...scenarios.map((s) => s.length), 8);
    const lines = [`${'scenario'.padEnd(width)} | ${columns.join(' | ')}`];
    lines.push(`${'-'.repeat(width)}-|-${columns.map((c) => '-'.repeat(c.length)).join('-|-')}`);
    const reasons = new Map<string, number>();
    let failures = 0;
    for (const scenario of scenarios) {
      const row = columns.map((column) => {
        const cell = cells.get(`${scenario}|${column}`);
        if (!cell) return ''.padEnd(column.length);
        if (cell.state === 'fail') failures++;
        let text: string = cell.state;
        if (cell.state === 'n/a') {
          if (!reasons.has(cell.reason!)) reasons.set(cell.reason!, reasons.size + 1);
          text = `n/a[${reasons.get(cell.reason!)}]`;
        }
        return text.padEnd(column.length);
      });
      lines.push(`${scenario.padEnd(width)} | ${row.join(' | ')}`);
    }
    lines.push('');
    for (const [reason, n] of reasons) lines.push(`[${n}] not applicable: ${reason}`);
    lines.push(`conformance: ${failures === 0 ? 'no failing cell' : `${failures} failing cell(s)`}`);
    process.stdout.write(`\n${lines.join('\n')}\n`);
  }
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
