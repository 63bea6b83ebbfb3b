import * as namespace from 'cli-progress';

/**
 * cli-progress is CommonJS whose exports Node cannot list statically, so an
 * ES module import sees them only on `default`; a bundler puts them on the
 * namespace itself. This is the one place that knows.
 */
const cliProgress = ((namespace as { default?: typeof namespace }).default ?? namespace) as typeof namespace;

export const { Format, MultiBar, Presets } = cliProgress;
export type { Options, Params, SingleBar } from 'cli-progress';
