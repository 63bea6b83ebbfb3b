import { defineProject } from 'vitest/config';
import { busyMachineTimeouts, workspaceAlias } from '../../vitest.shared.js';

export default defineProject({
  resolve: { alias: workspaceAlias },
  test: {
    ...busyMachineTimeouts,
    name: 'example-cluster',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/redisSetup.ts'],
  },
});
