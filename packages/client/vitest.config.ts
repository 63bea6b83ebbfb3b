import { defineProject } from 'vitest/config';
import { workspaceAlias } from '../../vitest.shared.js';

export default defineProject({
  resolve: { alias: workspaceAlias },
  test: {
    name: 'client',
    include: ['test/**/*.test.ts'],
    // Bundles the reference server once per run, so each child starts with plain node.
    globalSetup: ['test/globalSetup.ts'],
    // Tests start real server processes; on a loaded 2-core machine one start takes seconds.
    // Each wait inside a test is bounded on its own: these only catch a test that hangs.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
