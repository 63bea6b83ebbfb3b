import { defineProject } from 'vitest/config';
import { busyMachineTimeouts, workspaceAlias } from '../../vitest.shared.js';

export default defineProject({
  resolve: { alias: workspaceAlias },
  test: {
    ...busyMachineTimeouts,
    name: 'redis',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/redisSetup.ts'],
    // Cluster tests start several server processes; on a loaded machine each start takes seconds.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
