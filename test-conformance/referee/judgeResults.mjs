/**
 * Scenarios that must pass, whatever `expected-failures.json` says: SEP-1699
 * polling without a single warning on the legacy referee, and the stateless
 * lifecycle on the 2026-07-28 one.
 * @type {Readonly<Record<string, { scenario: string, warningsAllowed: boolean }>>}
 */
const MUST_PASS = {
  '0.1.16': { scenario: 'server-sse-polling', warningsAllowed: false },
  '0.2.0-alpha.12': { scenario: 'server-stateless', warningsAllowed: true },
};

/**
 * @typedef {import('./runReferee.mjs').ScenarioResult} ScenarioResult
 * @typedef {{ referee: string, scenario: string, verdict: string, checks: string, note: string, bad: boolean }} Row
 */

/**
 * Compares the results of one referee version with its expected failures
 * (scenario → reason). A row is bad when a scenario fails unexpectedly, a
 * listed one passes, a listed one did not run, or a must-pass scenario fails
 * (or, for `server-sse-polling`, warns).
 * @param {string} referee the referee version, the key in the expected-failures file
 * @param {ScenarioResult[]} results
 * @param {Readonly<Record<string, string>>} expected
 * @returns {Row[]}
 */
export function judgeResults(referee, results, expected) {
  const rows = [];
  const must = MUST_PASS[referee];
  for (const r of results) {
    const checks = `${r.passed}/${r.failed}/${r.warnings}${r.skipped ? `/${r.skipped}s` : ''}`;
    const reason = expected[r.scenario];
    const failed = r.failed > 0;
    const firstProblem = r.problems[0] ?? '';
    let verdict;
    let bad;
    let note;
    if (must && r.scenario === must.scenario) {
      bad = failed || (!must.warningsAllowed && r.warnings > 0) || reason !== undefined;
      verdict = failed ? 'FAIL' : r.warnings > 0 ? 'WARN' : 'PASS';
      note = reason !== undefined ? 'must pass: remove it from expected-failures.json' : bad ? firstProblem : '';
    } else if (reason !== undefined) {
      bad = !failed;
      verdict = failed ? 'xfail' : 'XPASS';
      note = failed ? reason : `listed as expected failure ("${reason}") but passed: remove it from expected-failures.json`;
    } else {
      bad = failed;
      verdict = failed ? 'FAIL' : r.warnings > 0 ? 'pass (warn)' : 'pass';
      note = failed || r.warnings > 0 ? firstProblem : '';
    }
    rows.push({ referee, scenario: r.scenario, verdict, checks, note, bad });
  }
  const ran = new Set(results.map((r) => r.scenario));
  for (const [scenario, reason] of Object.entries(expected)) {
    if (!ran.has(scenario)) {
      rows.push({ referee, scenario, verdict: 'NOT RUN', checks: '-', note: `listed ("${reason}") but the referee did not run it`, bad: true });
    }
  }
  if (must && !ran.has(must.scenario)) {
    rows.push({ referee, scenario: must.scenario, verdict: 'NOT RUN', checks: '-', note: 'must pass but did not run', bad: true });
  }
  return rows;
}

/**
 * The rows as a fixed-width table; long notes are cut to keep one line each.
 * @param {Row[]} rows
 * @returns {string}
 */
export function formatTable(rows) {
  const header = { referee: 'referee', scenario: 'scenario', verdict: 'result', checks: 'ok/fail/warn', note: 'note', bad: false };
  const all = [header, ...rows];
  const width = (/** @type {'referee' | 'scenario' | 'verdict' | 'checks'} */ key) => Math.max(...all.map((r) => r[key].length));
  const w = { referee: width('referee'), scenario: width('scenario'), verdict: width('verdict'), checks: width('checks') };
  return all
    .map((r) => {
      const note = r.note.length > 160 ? `${r.note.slice(0, 157)}...` : r.note;
      const mark = r === header ? ' ' : r.bad ? '!' : ' ';
      return `${mark} ${r.referee.padEnd(w.referee)}  ${r.scenario.padEnd(w.scenario)}  ${r.verdict.padEnd(w.verdict)}  ${r.checks.padEnd(w.checks)}  ${note}`;
    })
    .join('\n');
}
