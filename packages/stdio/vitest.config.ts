import { defineProject } from 'vitest/config';
import { busyMachineTimeouts, workspaceAlias } from '../../vitest.shared.js';

export default defineProject({
  resolve: { alias: workspaceAlias },
  test: {
    ...busyMachineTimeouts,
    name: 'stdio',
    include: ['test/**/*.test.ts'],
    // Every test starts real node + tsx children; on a loaded machine one start takes seconds.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
