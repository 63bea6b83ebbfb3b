import { defineConfig } from 'vitest/config';

// One project per package, so `vitest run --project protocol` narrows a run.
export default defineConfig({
  test: {
    projects: ['packages/*', 'test-conformance'],
  },
});
