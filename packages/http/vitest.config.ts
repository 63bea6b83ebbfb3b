import { defineProject } from 'vitest/config';
import { busyMachineTimeouts, workspaceAlias } from '../../vitest.shared.js';

export default defineProject({
  resolve: { alias: workspaceAlias },
  test: {
    ...busyMachineTimeouts,
    name: 'http',
    include: ['test/**/*.test.ts'],
  },
});
