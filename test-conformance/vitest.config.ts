import { defineProject } from 'vitest/config';
import { workspaceAlias } from '../vitest.shared.js';

/** The cluster column (3 nodes on a real Redis) joins the run when asked: `pnpm conformance --cluster` sets this. */
const cluster = process.env.TIDINGS_CONFORMANCE_CLUSTER === '1';

export default defineProject({
  resolve: { alias: workspaceAlias },
  test: {
    name: 'conformance',
    include: ['test/**/*.test.ts'],
    // Not skipped but left out: the README's test command runs the same column in @tidings/redis's tests.
    exclude: cluster ? [] : ['test/cluster/**'],
    // Bundles the scripts tests start as child processes, once per run (test/helpers/bundleFixtures.ts).
    globalSetup: ['test/helpers/bundleFixtures.ts', ...(cluster ? ['test/helpers/clusterSetup.ts'] : [])],
    // Most tests start child processes and talk to them over pipes or sockets; on a loaded 2-core
    // machine that is slow, and slow must not read as a failure. Each wait inside a test is
    // bounded on its own, so these only catch a test that hangs.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
