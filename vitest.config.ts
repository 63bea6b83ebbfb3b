import { defineConfig } from 'vitest/config';

// One project per package, so `vitest run --project protocol` narrows a run.
// The JSON report is what CI counts (.ci/run); the default reporter is for people.
export default defineConfig({
  test: {
    projects: ['packages/*', 'test-conformance', 'examples/browser', 'examples/cluster'],
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
    teardownTimeout: 10_000,
  },
});
