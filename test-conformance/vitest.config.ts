import { defineProject } from 'vitest/config';
import { workspaceAlias } from '../vitest.shared.js';

export default defineProject({
  resolve: { alias: workspaceAlias },
  test: {
    name: 'conformance',
    include: ['test/**/*.test.ts'],
    // Bundles the scripts tests start as child processes, once per run (test/helpers/bundleFixtures.ts).
    globalSetup: ['test/helpers/bundleFixtures.ts'],
    // Most tests start child processes and talk to them over pipes or sockets; on a loaded 2-core
    // machine that is slow, and slow must not read as a failure. Each wait inside a test is
    // bounded on its own, so these only catch a test that hangs.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
