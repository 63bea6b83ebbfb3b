import { fileURLToPath } from 'node:url';

const pkg = (dir: string, entry = 'index'): string => fileURLToPath(new URL(`./${dir}/src/${entry}.ts`, import.meta.url));

/**
 * Tests run against the sources of sibling packages, not their builds, so a
 * change is tested without a rebuild.
 */
export const workspaceAlias: Record<string, string> = {
  '@tidings/streamable-http/client': pkg('packages/streamable-http', 'client'),
  '@tidings/sse/client': pkg('packages/sse', 'client'),
  '@tidings/websocket/client': pkg('packages/websocket', 'client'),
  '@tidings/protocol/http': pkg('packages/protocol', 'http'),
  '@tidings/protocol': pkg('packages/protocol'),
  '@tidings/http/client': pkg('packages/http', 'client'),
  '@tidings/http': pkg('packages/http'),
  '@tidings/stdio': pkg('packages/stdio'),
  '@tidings/websocket': pkg('packages/websocket'),
  '@tidings/sse': pkg('packages/sse'),
  '@tidings/streamable-http': pkg('packages/streamable-http'),
  '@tidings/client': pkg('packages/client'),
  '@tidings/redis': pkg('packages/redis'),
  '@tidings/conformance': pkg('test-conformance'),
};

/**
 * Per-test and per-hook limits of every project: generous, because these
 * 2-core machines get busy and a slow run must not turn red. Each test's own
 * waits stay bounded by their own, shorter, timeouts.
 */
export const busyMachineTimeouts = { testTimeout: 60_000, hookTimeout: 60_000 } as const;
