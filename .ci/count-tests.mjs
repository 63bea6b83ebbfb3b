// Prints `tests: N passed, N failed` from vitest's JSON report, as the last
// line CI reads. A missing or unreadable report is a failed run, said plainly.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.vitest-report.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`no vitest JSON report at ${file}: ${error.message}`);
  console.log('tests: 0 passed, 0 failed');
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
// Name what failed above the count, so a failure in a long log is found without scrolling to it.
for (const result of report.testResults ?? []) {
  const failures = (result.assertionResults ?? []).filter((a) => a.status === 'failed');
  if (result.status === 'failed' && failures.length === 0) console.log(`failed to load: ${result.name}: ${firstLine(result.message)}`);
  for (const a of failures) console.log(`failed: ${result.name} > ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
}
const failed = report.numFailedTests ?? 0;
// A test file that failed to load has no test results; count it as one failure so it cannot hide.
const brokenFiles = (report.testResults ?? []).filter((r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0).length;
console.log(`tests: ${passed} passed, ${failed + brokenFiles} failed`);
process.exit(failed + brokenFiles > 0 || report.success === false ? 1 : 0);

function firstLine(text) {
  return String(text ?? '').split('\n')[0].slice(0, 300);
}
