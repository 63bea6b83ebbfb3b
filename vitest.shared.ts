import { fileURLToPath } from 'node:url';

const pkg = (dir: string): string => fileURLToPath(new URL(`./${dir}/src/index.ts`, import.meta.url));

/**
 * Tests run against the sources of sibling packages, not their builds, so a
 * change is tested without a rebuild.
 */
export const workspaceAlias: Record<string, string> = {
  '@tidings/protocol': pkg('packages/protocol'),
  '@tidings/stdio': pkg('packages/stdio'),
  '@tidings/websocket': pkg('packages/websocket'),
  '@tidings/sse': pkg('packages/sse'),
  '@tidings/streamable-http': pkg('packages/streamable-http'),
  '@tidings/client': pkg('packages/client'),
  '@tidings/conformance': pkg('test-conformance'),
};
