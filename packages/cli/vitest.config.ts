import { defineProject } from 'vitest/config';
import { workspaceAlias } from '../../vitest.shared.js';

export default defineProject({
  resolve: { alias: workspaceAlias },
  test: {
    name: 'cli',
    include: ['test/**/*.test.ts'],
    // Makes sure tmux is installed (Debian package) and bundles the CLI and the reference server once per run.
    globalSetup: ['test/globalSetup.ts'],
    // Tests run the CLI in real terminals against real server processes; on a loaded 2-core
    // machine a start takes seconds. Each wait inside a test is bounded on its own.
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
